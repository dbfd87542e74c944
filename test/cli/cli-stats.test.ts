/**
 * `idv stats` as a child process (node bin/idv.js) on both stores loaded with the known history of
 * test/contract/stats-history.ts: the JSON is the answer of GET /admin/api/stats, the text shows the same
 * figures, --help is generated from the definition, and a bad zone is a usage error naming the flag.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/main/open-store.js';
import { loadKnownHistory } from '../contract/stats-history.js';
import { dropSchema, schemaUrl, skipPostgres, uniqueSchema } from '../helpers/postgres.js';
import { tempDir } from '../helpers/temp.js';
import { buildCli, removeBuild } from './cli-build.js';

const run = promisify(execFile);
const pgSkip = await skipPostgres();
const temp = tempDir('idv-stats-cli-');
const schema = uniqueSchema('idv_stats_cli');
const LEGS = [
  { name: 'sqlite', skip: false as string | false, url: `sqlite:${join(temp.dir, 'idv.db')}` },
  { name: 'postgres', skip: pgSkip, url: schemaUrl(schema) },
];
const WINDOW = ['--from', '2026-10-24', '--to', '2026-10-27', '--tz', 'Europe/Paris'];

let bin = '';
beforeAll(async () => {
  bin = await buildCli();
}, 120_000);
afterAll(async () => {
  await removeBuild(bin);
  temp.cleanup();
  if (!pgSkip) await dropSchema(schema);
});

const idv = (args: string[], url: string) =>
  run(process.execPath, [bin, ...args], { env: { ...process.env, IDV_DATABASE_URL: url } });

describe.each(LEGS)('idv stats on $name', ({ skip, url }) => {
  if (skip) {
    it.skip(`is skipped: ${skip}`, () => undefined);
    return;
  }
  beforeAll(async () => {
    const store = await openStore(url, { pgPoolSize: 2 });
    try {
      await store.migrate();
      await loadKnownHistory(store);
    } finally {
      await store.close();
    }
  });

  it('--json prints the figures of GET /admin/api/stats', async () => {
    const { stdout } = await idv(['stats', ...WINDOW, '--json'], url);
    const answer = JSON.parse(stdout);
    expect(answer).toMatchObject({
      from: '2026-10-23T22:00:00.000Z',
      to: '2026-10-26T23:00:00.000Z',
      tz: 'Europe/Paris',
      funnel: { started: 9, submitted: 7, verified: 5 },
      time_to_verify: { verified: 5, p50_seconds: 7200, p90_seconds: 37800 },
      attempts: { exhausted: 1 },
      reviews: { opened: 4, decided: { approved: 2, rejected: 1 }, backlog: { open: 1 } },
      reactions: { email: { done: 12, failed: 0, dead: 1 } },
    });
    expect(answer.outcomes.map((o: { verified: number }) => o.verified)).toEqual([2, 2, 1]);
  });

  it('prints the same figures as text, days in the zone', async () => {
    const { stdout } = await idv(['stats', ...WINDOW], url);
    expect(stdout).toContain('Figures cover what retention has kept.');
    expect(stdout).toMatch(/^ {2}verified +5 +55\.6% \(71\.4% of submitted\)$/m);
    expect(stdout).toMatch(/^ {2}2026-10-25 +2 +0 +0 +0 +0 +0$/m);
    expect(stdout).toMatch(/^ {2}document_expired +2 +3 +1 \(50\.0%\)$/m);
    expect(stdout).toContain('Time to verify: p50 2h 0m, p90 10h 30m (5 verified)');
    expect(stdout).toContain('Attempts used by verified users: 0: 1, 1: 4; attempts exhausted: 1');
    expect(stdout).toMatch(/^ {2}op_2: 1 \(rejected 1\)$/m);
    expect(stdout).toMatch(/^ {2}email +12 +0 +1$/m);
  });

  it('--since counts back from now: nothing was recorded in the last hour', async () => {
    const { stdout } = await idv(['stats', '--since', '1h', '--json'], url);
    expect(JSON.parse(stdout).funnel).toMatchObject({ started: 0, submitted_rate: null });
  });
});

describe('idv stats usage', () => {
  it('--help lists the flags with their defaults', async () => {
    const { stdout } = await run(process.execPath, [bin, 'stats', '--help']);
    for (const flag of ['--since DURATION', '--json', '--tz ZONE', '--from DATE', '--db URL']) {
      expect(stdout).toContain(flag);
    }
    expect(stdout).toContain('30d');
  });

  it('a bad zone or duration exits 2 naming the flag', async () => {
    for (const [args, flag] of [
      [['--tz', 'Mars/Olympus'], '--tz'],
      [['--since', 'forever'], '--since'],
    ] as const) {
      const err = await idv(['stats', ...args], LEGS[0]!.url).catch(
        (e: { code: number; stderr: string }) => e,
      );
      expect(err).toMatchObject({ code: 2 });
      expect((err as { stderr: string }).stderr).toContain(flag);
    }
  });

  it('a bad date exits 1 with the message of the API', async () => {
    const err = await idv(['stats', '--from', 'yesterday'], LEGS[0]!.url).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect(err).toMatchObject({ code: 1 });
    expect((err as { stderr: string }).stderr).toContain('from must be a date');
  });
});
