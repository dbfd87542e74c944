/**
 * PostgreSQL's insights figures (stats-records.ts), the same queries as SQLite's stats-sql.ts over the
 * cohort of subjects first recorded in [$1, $2). The records are `json`, read with json operators; the
 * filters the subjects list shares with the figures (submitted, ever_code) are here too.
 */
import type pg from 'pg';
import { nearestRank } from '../../domain/stats.js';
import {
  COUNTED_REACTION_STATUSES,
  DECISION_ACTIONS,
  sqlList,
  type StatsFigures,
  type StatsQuery,
  type CohortGroup,
  cohortFigures,
} from '../stats-records.js';

type Queryable = Pick<pg.PoolClient, 'query'>;

/** True for a row of `subjects` whose history shows a submission (kept as a column, migration 010). */
export const SUBMITTED = 'subjects.first_submitted_at IS NOT NULL';

/** True for a row of `subjects` that met the failure code `$n` in any submission of any session. */
export function everCode(placeholder: string): string {
  return `EXISTS (SELECT 1 FROM subject_codes c WHERE c.subject_ref = subjects.ref AND c.code = ${placeholder})`;
}

const COHORT = 'subjects.created_at >= $1 AND subjects.created_at < $2';

type Range = [number, number];

/** The funnel and the attempts in one pass over the cohort (see SQLite's stats-sql.ts). */
async function cohort(db: Queryable, range: Range): Promise<Pick<StatsFigures, 'funnel' | 'attempts'>> {
  const { rows } = await db.query<CohortGroup>(
    `SELECT state = 'verified' AS verified, ${SUBMITTED} AS submitted, attempts_left <= 0 AS exhausted,
       CASE WHEN state = 'verified' THEN attempts_used END AS used, COUNT(*)::int AS n
     FROM subjects WHERE ${COHORT} GROUP BY 1, 2, 3, 4`,
    range,
  );
  return cohortFigures(rows);
}

async function outcomes(db: Queryable, query: StatsQuery): Promise<StatsFigures['outcomes']> {
  const { rows } = await db.query<{ i: number; state: string; n: number }>(
    `SELECT b.i - 1 AS i, subjects.state AS state, COUNT(*) AS n
     FROM unnest($1::bigint[], $2::bigint[]) WITH ORDINALITY AS b(s, e, i)
     JOIN subjects ON subjects.created_at >= b.s AND subjects.created_at < b.e
     GROUP BY b.i, subjects.state`,
    [query.buckets.map((b) => b.start), query.buckets.map((b) => b.end)],
  );
  const perBucket = query.buckets.map(() => ({}) as Record<string, number>);
  for (const row of rows) perBucket[row.i]![row.state] = row.n;
  return perBucket;
}

async function failureCodes(db: Queryable, range: Range): Promise<StatsFigures['failureCodes']> {
  // One row per subject and code (subject_codes), its submissions the distinct failed reports.
  const { rows } = await db.query<StatsFigures['failureCodes'][number]>(
    `SELECT c.code AS code, COUNT(*)::int AS subjects, SUM(c.submissions)::int AS submissions,
            (COUNT(*) FILTER (WHERE subjects.state = 'verified'))::int AS "laterVerified"
     FROM subjects JOIN subject_codes c ON c.subject_ref = subjects.ref
     WHERE ${COHORT} GROUP BY c.code ORDER BY subjects DESC, code COLLATE "C"`,
    range,
  );
  return rows;
}

const DURATIONS = `WITH d AS (
  SELECT verified_at - created_at AS ms FROM subjects WHERE ${COHORT} AND state = 'verified')`;

async function timeToVerify(db: Queryable, query: StatsQuery): Promise<StatsFigures['timeToVerify']> {
  const range: Range = [query.from, query.to];
  const counted = await db.query<{ n: number }>(`${DURATIONS} SELECT COUNT(ms) AS n FROM d`, range);
  const n = counted.rows[0]!.n;
  const ranks = query.percentiles.map((p) => nearestRank(p, n));
  const { rows } = await db.query<{ rn: number; ms: number }>(
    `${DURATIONS} SELECT rn, ms FROM (SELECT ms, ROW_NUMBER() OVER (ORDER BY ms) AS rn FROM d
       WHERE ms IS NOT NULL) ranked WHERE rn = ANY($3::bigint[])`,
    [...range, ranks],
  );
  const byRank = new Map(rows.map((r) => [r.rn, r.ms]));
  return {
    count: n,
    percentiles: query.percentiles.map((p, i) => ({ p, ms: byRank.get(ranks[i]!) ?? null })),
  };
}

async function reviews(db: Queryable, range: Range): Promise<StatsFigures['reviews']> {
  const opened = await db.query<{ opened: number }>(
    'SELECT COUNT(*) AS opened FROM reviews WHERE opened_at >= $1 AND opened_at < $2',
    range,
  );
  // The decider's id is in the audit line of the decision (the case keeps only the encrypted name).
  const decided = await db.query<StatsFigures['reviews']['decided'][number]>(
    `SELECT op AS "operatorId", decision, COUNT(*) AS cases FROM (
       SELECT (SELECT a.actor_id FROM audit a WHERE a.subject_ref = r.subject_ref AND a.target = r.id
                 AND a.action IN (${sqlList(DECISION_ACTIONS)}) ORDER BY a.id LIMIT 1) AS op,
              r.status AS decision
       FROM reviews r WHERE r.decided_at >= $1 AND r.decided_at < $2
         AND r.status NOT IN ('open', 'superseded')) d
     GROUP BY op, decision ORDER BY op COLLATE "C" NULLS FIRST, decision COLLATE "C"`,
    range,
  );
  const backlog = await db.query<{ open: number; oldest: number | null }>(
    `SELECT COUNT(*) AS open, MIN(opened_at) AS oldest FROM reviews WHERE status = 'open'`,
  );
  const { open, oldest } = backlog.rows[0]!;
  return { opened: opened.rows[0]!.opened, decided: decided.rows, open, oldestOpenedAt: oldest };
}

async function reactions(db: Queryable, range: Range): Promise<StatsFigures['reactions']> {
  const { rows } = await db.query<StatsFigures['reactions'][number]>(
    `SELECT kind, status, COUNT(*) AS count FROM outbox
     WHERE created_at >= $1 AND created_at < $2 AND status IN (${sqlList(COUNTED_REACTION_STATUSES)})
     GROUP BY kind, status ORDER BY kind COLLATE "C", status COLLATE "C"`,
    range,
  );
  return rows;
}

/** Every figure, read on one client in one snapshot (the caller's REPEATABLE READ transaction). */
export async function stats(db: Queryable, query: StatsQuery): Promise<StatsFigures> {
  const range: Range = [query.from, query.to];
  return {
    ...(await cohort(db, range)),
    outcomes: await outcomes(db, query),
    failureCodes: await failureCodes(db, range),
    timeToVerify: await timeToVerify(db, query),
    reviews: await reviews(db, range),
    reactions: await reactions(db, range),
  };
}
