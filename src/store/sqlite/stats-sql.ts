/**
 * SQLite's insights figures (stats-records.ts), one query per figure over the cohort of subjects first
 * recorded in [from, to). The filters the subjects list shares with them (submitted, ever_code) are here too,
 * so a figure and the list behind it are the same SQL.
 */
import type { Database } from 'better-sqlite3';
import { nearestRank } from '../../domain/stats.js';
import {
  COUNTED_REACTION_STATUSES,
  DECISION_ACTIONS,
  sqlList,
  type StatsFigures,
  type StatsQuery,
  cohortFigures,
} from '../stats-records.js';
import { prepared } from './prepared.js';

/** True for a row of `subjects` whose history shows a submission (kept as a column, migration 010). */
export const SUBMITTED = 'subjects.first_submitted_at IS NOT NULL';

/** True for a row of `subjects` that met the failure code `@everCode` in any submission of any session. */
export const EVER_CODE = `EXISTS (SELECT 1 FROM subject_codes c
  WHERE c.subject_ref = subjects.ref AND c.code = @everCode)`;

const COHORT = 'subjects.created_at >= @from AND subjects.created_at < @to';

type Range = { from: number; to: number };

/**
 * The funnel and the attempts in one pass over the cohort: grouped by what each figure tells apart, so the
 * answer is a few rows however many subjects there are.
 */
function cohort(db: Database, range: Range): Pick<StatsFigures, 'funnel' | 'attempts'> {
  const rows = prepared(
    db,
    `SELECT state = 'verified' AS verified, ${SUBMITTED} AS submitted, attempts_left <= 0 AS exhausted,
       CASE WHEN state = 'verified' THEN attempts_used END AS used, COUNT(*) AS n
     FROM subjects WHERE ${COHORT} GROUP BY 1, 2, 3, 4`,
  ).all(range) as {
    verified: number;
    submitted: number;
    exhausted: number;
    used: number | null;
    n: number;
  }[];
  return cohortFigures(rows);
}

function outcomes(db: Database, query: StatsQuery): StatsFigures['outcomes'] {
  const rows = prepared(
    db,
    `WITH b AS (SELECT CAST(key AS INTEGER) AS i, json_extract(value, '$[0]') AS s,
                       json_extract(value, '$[1]') AS e FROM json_each(@buckets))
     SELECT b.i AS i, subjects.state AS state, COUNT(*) AS n
     FROM b JOIN subjects ON subjects.created_at >= b.s AND subjects.created_at < b.e
     GROUP BY b.i, subjects.state`,
  ).all({ buckets: JSON.stringify(query.buckets.map((b) => [b.start, b.end])) }) as {
    i: number;
    state: string;
    n: number;
  }[];
  const perBucket = query.buckets.map(() => ({}) as Record<string, number>);
  for (const row of rows) perBucket[row.i]![row.state] = row.n;
  return perBucket;
}

function failureCodes(db: Database, range: Range): StatsFigures['failureCodes'] {
  // One row per subject and code (subject_codes), its submissions the distinct failed reports.
  return prepared(
    db,
    `SELECT c.code AS code, COUNT(*) AS subjects, SUM(c.submissions) AS submissions,
            COUNT(CASE WHEN subjects.state = 'verified' THEN 1 END) AS laterVerified
     FROM subjects CROSS JOIN subject_codes c ON c.subject_ref = subjects.ref
     WHERE ${COHORT} GROUP BY c.code ORDER BY subjects DESC, code`,
  ).all(range) as StatsFigures['failureCodes'];
}

const DURATIONS = `WITH d AS (
  SELECT verified_at - created_at AS ms FROM subjects WHERE ${COHORT} AND state = 'verified')`;

function timeToVerify(db: Database, query: StatsQuery): StatsFigures['timeToVerify'] {
  const range = { from: query.from, to: query.to };
  const { n } = prepared(db, `${DURATIONS} SELECT COUNT(ms) AS n FROM d`).get(range) as { n: number };
  const ranks = query.percentiles.map((p) => nearestRank(p, n));
  const rows = prepared(
    db,
    `${DURATIONS} SELECT rn, ms FROM (SELECT ms, ROW_NUMBER() OVER (ORDER BY ms) AS rn FROM d
       WHERE ms IS NOT NULL) WHERE rn IN (SELECT value FROM json_each(@ranks))`,
  ).all({ ...range, ranks: JSON.stringify(ranks) }) as { rn: number; ms: number }[];
  const byRank = new Map(rows.map((r) => [r.rn, r.ms]));
  return {
    count: n,
    percentiles: query.percentiles.map((p, i) => ({ p, ms: byRank.get(ranks[i]!) ?? null })),
  };
}

function reviews(db: Database, range: Range): StatsFigures['reviews'] {
  const { opened } = prepared(
    db,
    'SELECT COUNT(*) AS opened FROM reviews WHERE opened_at >= @from AND opened_at < @to',
  ).get(range) as { opened: number };
  // The decider's id is in the audit line of the decision (the case keeps only the encrypted name).
  const decided = prepared(
    db,
    `SELECT (SELECT a.actor_id FROM audit a WHERE a.subject_ref = r.subject_ref AND a.target = r.id
               AND a.action IN (${sqlList(DECISION_ACTIONS)}) ORDER BY a.id LIMIT 1) AS operatorId,
            r.status AS decision, COUNT(*) AS cases
     FROM reviews r WHERE r.decided_at >= @from AND r.decided_at < @to
       AND r.status NOT IN ('open', 'superseded')
     GROUP BY operatorId, r.status ORDER BY operatorId, r.status`,
  ).all(range) as StatsFigures['reviews']['decided'];
  const backlog = prepared(
    db,
    `SELECT COUNT(*) AS open, MIN(opened_at) AS oldest FROM reviews WHERE status = 'open'`,
  ).get() as { open: number; oldest: number | null };
  return { opened, decided, open: backlog.open, oldestOpenedAt: backlog.oldest };
}

function reactions(db: Database, range: Range): StatsFigures['reactions'] {
  return prepared(
    db,
    `SELECT kind, status, COUNT(*) AS count FROM outbox
     WHERE created_at >= @from AND created_at < @to AND status IN (${sqlList(COUNTED_REACTION_STATUSES)})
     GROUP BY kind, status ORDER BY kind, status`,
  ).all(range) as StatsFigures['reactions'];
}

/** Every figure, read in one transaction so they agree with each other. */
export function stats(db: Database, query: StatsQuery): StatsFigures {
  const range = { from: query.from, to: query.to };
  return db.transaction(() => ({
    ...cohort(db, range),
    outcomes: outcomes(db, query),
    failureCodes: failureCodes(db, range),
    timeToVerify: timeToVerify(db, query),
    reviews: reviews(db, range),
    reactions: reactions(db, range),
  }))();
}
