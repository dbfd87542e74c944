/**
 * The insights figures from columns the worker writes (domain/subject-facts.ts) instead of every subject's
 * JSON records and history: when its history first showed a submission and a verification, its attempts,
 * and per failure code its failed submissions (distinct reports). Existing rows are filled from what the
 * queries of 009 read, so every figure stays the same. The cohort index covers the figures of one range;
 * 009's indexes over JSON expressions are dropped, as no query reads them any more and every write paid
 * for them.
 */
export default {
  version: 10,
  name: 'stats-columns',
  sql: `
    ALTER TABLE subjects ADD COLUMN first_submitted_at INTEGER;
    ALTER TABLE subjects ADD COLUMN verified_at INTEGER;
    ALTER TABLE subjects ADD COLUMN attempts_used INTEGER;
    ALTER TABLE subjects ADD COLUMN attempts_left INTEGER;
    UPDATE subjects SET
      first_submitted_at = (SELECT MIN(h.at) FROM history h WHERE h.subject_ref = subjects.ref
        AND h.to_state IN ('processing', 'retry_required', 'in_review', 'verified', 'rejected')),
      verified_at = (SELECT MIN(h.at) FROM history h WHERE h.subject_ref = subjects.ref
        AND h.to_state = 'verified'),
      attempts_used = json_extract(view, '$.attempts.used'),
      attempts_left = json_extract(view, '$.attempts.left');

    CREATE TABLE subject_codes (
      subject_ref TEXT NOT NULL,
      code        TEXT NOT NULL,
      submissions INTEGER NOT NULL,
      PRIMARY KEY (subject_ref, code)
    ) WITHOUT ROWID;
    INSERT INTO subject_codes (subject_ref, code, submissions)
      SELECT ref, code, COUNT(*) FROM (
        SELECT DISTINCT s.subject_ref AS ref, json_extract(f.value, '$.code') AS code,
               json_extract(f.value, '$.key') AS k
        FROM sessions s JOIN subjects ON subjects.ref = s.subject_ref, json_each(s.record, '$.failures') f
        WHERE json_array_length(s.record, '$.failures') > 0)
      WHERE code IS NOT NULL GROUP BY ref, code;

    DROP INDEX IF EXISTS subjects_cohort;
    DROP INDEX IF EXISTS sessions_failures;
    CREATE INDEX subjects_stats ON subjects (created_at, state, ref, first_submitted_at, verified_at,
      attempts_used, attempts_left);
  `,
};
