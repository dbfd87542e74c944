/** The tables that hold rows of one subject (by `subject_ref`), deleted with it when retention purges it. */
export const SUBJECT_ROW_TABLES = [
  'sessions',
  'history',
  'subject_codes',
  'reviews',
  'outbox',
  'expectations',
] as const;
