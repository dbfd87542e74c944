/**
 * Indexes for the insights figures (stats-sql.ts): a range of subjects by when idv first recorded them, a
 * subject's history by state (submitted, first verified), reactions by creation, cases by decision time.
 * Without them every figure reads whole tables, and the stats cost grows with all history, not the range.
 * The cohort index carries the attempts of the subject's view and the failures index a session's failed
 * submissions, so the figures read indexes, not the JSON records (the queries use the same expressions).
 */
export default {
  version: 9,
  name: 'insights',
  sql: `
    CREATE INDEX subjects_cohort ON subjects (created_at, state, ref,
      json_extract(view, '$.attempts.used'), json_extract(view, '$.attempts.left'));
    CREATE INDEX sessions_failures ON sessions (subject_ref, json_extract(record, '$.failures'))
      WHERE json_array_length(record, '$.failures') > 0;
    CREATE INDEX history_subject_state ON history (subject_ref, to_state, at);
    CREATE INDEX outbox_created ON outbox (created_at, kind, status);
    CREATE INDEX reviews_opened ON reviews (opened_at);
    CREATE INDEX reviews_decided ON reviews (decided_at) WHERE decided_at IS NOT NULL;
  `,
};
