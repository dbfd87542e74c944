/**
 * Every column that holds personal data (README "Security and privacy"), for the jobs that must visit all
 * of them: `idv rekey` re-encrypts each value with the current key. Table and column names come from this
 * fixed list only, never from input. `json`: a domain record whose personal fields are encrypted inside it
 * (personal-fields.ts), rather than a text value encrypted whole.
 */
export interface PersonalColumn {
  readonly table: 'events' | 'subjects' | 'reviews' | 'history' | 'audit' | 'operators' | 'expectations';
  /** The primary key, for paging through the table in order. */
  readonly key: 'id' | 'ref' | 'session_id';
  readonly column: string;
  readonly json?: true;
}

export const PERSONAL_COLUMNS: readonly PersonalColumn[] = [
  { table: 'events', key: 'id', column: 'payload' },
  { table: 'subjects', key: 'ref', column: 'email' },
  { table: 'subjects', key: 'ref', column: 'manual_decision', json: true },
  { table: 'reviews', key: 'id', column: 'note' },
  { table: 'reviews', key: 'id', column: 'actor' },
  { table: 'reviews', key: 'id', column: 'owner' },
  { table: 'history', key: 'id', column: 'actor' },
  { table: 'audit', key: 'id', column: 'actor' },
  { table: 'operators', key: 'id', column: 'name' },
  { table: 'expectations', key: 'session_id', column: 'expected' },
  { table: 'expectations', key: 'session_id', column: 'verified' },
];

/** One page of a column rewritten: where to go on from, and what was done. */
export interface RewritePage {
  scanned: number;
  rewritten: number;
  /** The key of the last row seen; null when the column has no more rows. */
  last: string | number | null;
}
