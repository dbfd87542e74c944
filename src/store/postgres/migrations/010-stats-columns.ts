/**
 * The insights figures from columns the worker writes (domain/subject-facts.ts), mirroring SQLite 010: when
 * a subject's history first showed a submission and a verification, its attempts, and per failure code its
 * failed submissions (distinct reports). Existing rows are filled from what the queries of 009 read, so every
 * figure stays the same. 009's cohort and failures indexes give way to one covering the figures of a range.
 */
export default {
  version: 10,
  name: 'stats-columns',
  sql: `
    ALTER TABLE subjects ADD COLUMN first_submitted_at BIGINT, ADD COLUMN verified_at BIGINT,
      ADD COLUMN attempts_used INTEGER, ADD COLUMN attempts_left INTEGER;
    UPDATE subjects SET
      first_submitted_at = h.submitted, verified_at = h.verified
    FROM (SELECT subject_ref,
            MIN(at) FILTER (WHERE to_state IN ('processing', 'retry_required', 'in_review', 'verified',
              'rejected')) AS submitted,
            MIN(at) FILTER (WHERE to_state = 'verified') AS verified
          FROM history GROUP BY subject_ref) h
    WHERE h.subject_ref = subjects.ref;
    UPDATE subjects SET attempts_used = (view->'attempts'->>'used')::int,
      attempts_left = (view->'attempts'->>'left')::int;

    CREATE TABLE subject_codes (
      subject_ref TEXT NOT NULL,
      code        TEXT NOT NULL,
      submissions INTEGER NOT NULL,
      PRIMARY KEY (subject_ref, code)
    );
    INSERT INTO subject_codes (subject_ref, code, submissions)
      SELECT ref, code, COUNT(*) FROM (
        SELECT DISTINCT s.subject_ref AS ref, f->>'code' AS code, f->>'key' AS k
        FROM sessions s JOIN subjects ON subjects.ref = s.subject_ref,
             json_array_elements(s.record->'failures') f
        WHERE json_array_length(s.record->'failures') > 0) d
      WHERE code IS NOT NULL GROUP BY ref, code;

    DROP INDEX IF EXISTS subjects_cohort;
    DROP INDEX IF EXISTS sessions_failures;
    CREATE INDEX subjects_stats ON subjects (created_at)
      INCLUDE (state, ref, first_submitted_at, verified_at, attempts_used, attempts_left);
  `,
};
