/**
 * Processes on many machines share one database, and their clocks drift. Leases and due times are compared
 * across processes, so they must follow one clock: the database's. A process whose clock runs ahead would
 * otherwise take over leases that are still live (and send a reaction twice), and a receiver ahead would
 * store its events as due in the future (delaying them by its skew).
 *
 * Every time a PostgresStore takes from its caller is shifted by the measured skew. Skews under a second are
 * ignored: leases are many seconds long, and the measurement itself is only as good as one round trip.
 */
import type pg from 'pg';

export const SKEW_REFRESH_MS = 60_000;
const IGNORED_SKEW_MS = 1_000;

/** Database clock minus `clock()`, in ms, estimated at the midpoint of one round trip; 0 under a second. */
export async function measureClockSkew(db: Pick<pg.Pool, 'query'>, clock: () => number): Promise<number> {
  const before = clock();
  const { rows } = await db.query<{ ms: string }>(
    'SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint AS ms',
  );
  const after = clock();
  const skew = Number(rows[0]!.ms) - Math.round((before + after) / 2);
  return Math.abs(skew) < IGNORED_SKEW_MS ? 0 : skew;
}
