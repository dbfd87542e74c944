/** Settings of `idv stats`: the database, the window (`--since`, or `--from`/`--to`), the zone and output. */
import { DATABASE_URL_VARIABLE, readDatabaseUrl } from './database.js';
import type { EnvSpec } from './flags.js';
import type { Reader } from './reader.js';

export interface StatsSettings {
  readonly databaseUrl: string;
  /** How far back from now, in seconds; `from` overrides it. */
  readonly sinceSec: number;
  /** As GET /admin/api/stats takes them: dates, local times or timestamps, checked there. */
  readonly from: string | undefined;
  readonly to: string | undefined;
  readonly tz: string;
  readonly interval: 'hour' | 'day' | 'week';
  readonly json: boolean;
}

export const STATS_VARIABLES: readonly EnvSpec[] = [DATABASE_URL_VARIABLE];

const MAX_SINCE_SEC = 3650 * 86_400;

export function readStats(read: Reader): StatsSettings {
  const since = read.string('--since', '30d')!;
  const match = /^(\d+)\s*([mhdw])$/.exec(since);
  const unit = { m: 60, h: 3600, d: 86_400, w: 7 * 86_400 } as const;
  const sinceSec = match ? Number(match[1]) * unit[match[2] as keyof typeof unit] : 0;
  if (!match || sinceSec === 0 || sinceSec > MAX_SINCE_SEC) {
    read.problem(
      '--since',
      `expected a duration like 30d, 12h or 8w (at most 3650d), got "${since.slice(0, 20)}"`,
    );
  }
  const tz = read.string('--tz', 'UTC')!;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
  } catch {
    read.problem('--tz', `expected an IANA time zone such as Europe/Paris, got "${tz.slice(0, 40)}"`);
  }
  return {
    databaseUrl: readDatabaseUrl(read),
    sinceSec,
    from: read.string('--from'),
    to: read.string('--to'),
    tz,
    interval: read.oneOf('--interval', ['hour', 'day', 'week'] as const, 'day'),
    json: read.switch('--json'),
  };
}
