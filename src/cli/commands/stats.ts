/** `idv stats [--since 30d] [--json] [--tz Z]`: the insights figures (GET /admin/api/stats) in the terminal. */
import { STATS_VARIABLES, readStats } from '../../config/stats.js';
import { DATABASE_FLAG } from '../../config/service.js';
import { defineCommand } from '../command.js';

export const stats = defineCommand({
  name: 'stats',
  summary: 'how verifications are going: funnel, outcomes, failure codes, time to verify, reviews, reactions',
  details:
    'The figures of GET /admin/api/stats, for the subjects idv first recorded in the window. ' +
    'Figures cover what retention has kept.',
  flags: [
    { name: 'since', value: 'DURATION', description: 'the window up to now: 30d, 12h, 8w' },
    {
      name: 'from',
      value: 'DATE',
      description: 'the window from a date (2026-11-01), local time or timestamp',
    },
    { name: 'to', value: 'DATE', description: 'the end of the window (default now)' },
    { name: 'tz', value: 'ZONE', description: 'the time zone of days and dates (IANA, e.g. Europe/Paris)' },
    { name: 'interval', value: 'hour|day|week', description: 'the buckets of the outcomes' },
    { name: 'json', description: 'print the JSON answer of GET /admin/api/stats' },
    DATABASE_FLAG,
  ],
  env: STATS_VARIABLES,
  settings: readStats,
  async run({ settings, stdout, clock, fail }) {
    const [{ openStore }, { statsAnswer }, { statsText }] = await Promise.all([
      import('../../main/open-store.js'),
      import('../../http/stats-report.js'),
      import('../stats-text.js'),
    ]);
    const store = await openStore(settings.databaseUrl, { pgPoolSize: 1 });
    try {
      await store.migrate();
      const now = clock();
      const answer = await statsAnswer(
        store,
        {
          from: settings.from ?? new Date(now - settings.sinceSec * 1000).toISOString(),
          to: settings.to,
          interval: settings.interval,
          tz: settings.tz,
        },
        now,
      );
      stdout.write(settings.json ? `${JSON.stringify(answer, null, 2)}\n` : statsText(answer));
      return 0;
    } catch (err) {
      return fail((err as Error).message);
    } finally {
      await store.close();
    }
  },
});
