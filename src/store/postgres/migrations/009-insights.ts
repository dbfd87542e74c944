/**
 * Indexes for the insights figures (stats-sql.ts), mirroring SQLite 009: a range of subjects by when idv first recorded them, a
 * subject's history by state (submitted, first verified), reactions by creation, cases by decision time.
 * Without them every figure reads whole tables, and the stats cost grows with all history, not the range.
 */
export default {
  version: 9,
  name: 'insights',
  sql: `
    CREATE INDEX subjects_cohort ON subjects (created_at, state, ref);
    CREATE INDEX sessions_failures ON sessions (subject_ref) WHERE json_array_length(record->'failures') > 0;
    CREATE INDEX history_subject_state ON history (subject_ref, to_state, at);
    CREATE INDEX outbox_created ON outbox (created_at, kind, status);
    CREATE INDEX reviews_opened ON reviews (opened_at);
    CREATE INDEX reviews_decided ON reviews (decided_at) WHERE decided_at IS NOT NULL;
  `,
};
