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
  SUBMITTED_STATES,
  sqlList,
  type StatsFigures,
  type StatsQuery,
} from '../stats-records.js';

type Queryable = Pick<pg.PoolClient, 'query'>;

/** True for a row of `subjects` whose history shows a submission. */
export const SUBMITTED = `EXISTS (SELECT 1 FROM history h WHERE h.subject_ref = subjects.ref
  AND h.to_state IN (${sqlList(SUBMITTED_STATES)}))`;

/** True for a row of `subjects` that met the failure code `$n` in any submission of any session. */
export function everCode(placeholder: string): string {
  return `EXISTS (SELECT 1 FROM sessions s, json_array_elements(s.record->'failures') f
    WHERE s.subject_ref = subjects.ref AND f->>'code' = ${placeholder})`;
}

const COHORT = 'subjects.created_at >= $1 AND subjects.created_at < $2';

type Range = [number, number];

async function funnel(db: Queryable, range: Range): Promise<StatsFigures['funnel']> {
  const { rows } = await db.query<StatsFigures['funnel']>(
    `SELECT COUNT(*) AS started,
       COUNT(*) FILTER (WHERE state = 'verified') AS verified,
       COUNT(*) FILTER (WHERE ${SUBMITTED}) AS submitted
     FROM subjects WHERE ${COHORT}`,
    range,
  );
  const row = rows[0]!;
  return { started: row.started, submitted: row.submitted, verified: row.verified };
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
  // A submission is a failure key (its report); DISTINCT makes a report seen by two sessions count once.
  const { rows } = await db.query<StatsFigures['failureCodes'][number]>(
    `WITH f AS (
       SELECT DISTINCT subjects.ref AS ref, subjects.state AS state, j->>'key' AS k, j->>'code' AS code
       FROM subjects JOIN sessions s ON s.subject_ref = subjects.ref,
            json_array_elements(s.record->'failures') j
       WHERE ${COHORT})
     SELECT code, COUNT(DISTINCT ref) AS subjects, COUNT(*) AS submissions,
            COUNT(DISTINCT ref) FILTER (WHERE state = 'verified') AS "laterVerified"
     FROM f GROUP BY code ORDER BY subjects DESC, code COLLATE "C"`,
    range,
  );
  return rows;
}

const DURATIONS = `WITH d AS (
  SELECT (SELECT MIN(h.at) FROM history h WHERE h.subject_ref = subjects.ref AND h.to_state = 'verified')
         - subjects.created_at AS ms
  FROM subjects WHERE ${COHORT} AND state = 'verified')`;

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

async function attempts(db: Queryable, range: Range): Promise<StatsFigures['attempts']> {
  const used = await db.query<{ used: number; subjects: number }>(
    `SELECT (view->'attempts'->>'used')::int AS used, COUNT(*) AS subjects
     FROM subjects WHERE ${COHORT} AND state = 'verified' GROUP BY 1 ORDER BY 1`,
    range,
  );
  const exhausted = await db.query<{ exhausted: number }>(
    `SELECT COUNT(*) AS exhausted FROM subjects
     WHERE ${COHORT} AND (view->'attempts'->>'left')::int <= 0`,
    range,
  );
  return { verifiedByUsed: used.rows, exhausted: exhausted.rows[0]!.exhausted };
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
    funnel: await funnel(db, range),
    outcomes: await outcomes(db, query),
    failureCodes: await failureCodes(db, range),
    timeToVerify: await timeToVerify(db, query),
    attempts: await attempts(db, range),
    reviews: await reviews(db, range),
    reactions: await reactions(db, range),
  };
}
