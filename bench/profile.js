/**
 * `node bench/profile.js receiver|worker [seconds]`: runs one idv server under `node --cpu-prof` (pinned like
 * the bench) and prints where its CPU time goes, grouped into the categories that matter for a webhook
 * receiver: HTTP parsing, HMAC, JSON, SQLite (including fsync, which better-sqlite3 runs on the event loop),
 * Fastify, logging, GC, idle. Needs a build (npm run build).
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildEvents, signedRequests } from './lib/events.js';
import { RequestPool, runLoad } from './lib/load.js';
import { detectPinning, pinSelf } from './lib/processes.js';
import { SECRET, startTarget } from './lib/targets.js';
import { preloadInbox, waitProcessed } from './phases/worker.js';

const CATEGORIES = [
  ['idle (waiting for I/O)', (f) => f.functionName === '(idle)'],
  ['GC', (f) => f.functionName === '(garbage collector)'],
  [
    'SQLite statements + commit/fsync (better-sqlite3)',
    (f) =>
      /better-sqlite3/.test(f.url) ||
      (/^(run|get|all|exec|prepare|pragma|transaction|immediate)$/.test(f.functionName) && f.url === ''),
  ],
  [
    'HMAC / crypto',
    (f) =>
      /crypto|createHmac|timingSafeEqual|digest|update/.test(f.url + f.functionName) &&
      !/JSON/.test(f.functionName),
  ],
  ['JSON parse/stringify', (f) => /^(parse|stringify)$/.test(f.functionName) && f.url === ''],
  [
    'HTTP parsing + sockets (node:http, net)',
    (f) =>
      /node:(_http|http|net|stream|internal\/streams|internal\/stream_base)/.test(f.url) ||
      /^(writev|writeUtf8String|writeBuffer|readStop|onStreamRead|parserOnHeadersComplete|execute)$/.test(
        f.functionName,
      ),
  ],
  [
    'Fastify + find-my-way + light-my-request',
    (f) => /fastify|find-my-way|avvio|light-my-request|secure-json-parse|fast-json-stringify/.test(f.url),
  ],
  ['pino logging', (f) => /pino|sonic-boom/.test(f.url)],
  ['idv code (dist/)', (f) => /\/dist\//.test(f.url)],
  ['(program) / native other', (f) => f.url === ''],
  ['other JS', () => true],
];

/**
 * Self time per function over the busy window only: from the first to the last sample in a SQLite transaction,
 * so start-up and the wait while the bench signs its pool do not count as idle.
 */
export function summarize(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const dt = profile.timeDeltas;
  const busy = profile.samples.map((id) => /transaction/.test(byId.get(id).callFrame.functionName));
  const first = busy.indexOf(true);
  const last = busy.lastIndexOf(true);
  for (let i = Math.max(0, first); i <= (last < 0 ? profile.samples.length - 1 : last); i++) {
    self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + (dt[i] ?? 0));
  }
  const totals = new Map();
  const functions = new Map();
  let all = 0;
  for (const [id, us] of self) {
    const frame = byId.get(id).callFrame;
    const [category] = CATEGORIES.find(([, test]) => test(frame));
    totals.set(category, (totals.get(category) ?? 0) + us);
    const key = `${frame.functionName || '(anonymous)'} ${frame.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/dist\//, 'dist/')}:${frame.lineNumber + 1}`;
    functions.set(key, (functions.get(key) ?? 0) + us);
    all += us;
  }
  return { all, totals, functions };
}

function print({ all, totals, functions }) {
  console.log(`\nself time by category (${(all / 1e6).toFixed(1)} s sampled):`);
  for (const [name, us] of [...totals].sort((a, b) => b[1] - a[1])) {
    console.log(`  ${((us / all) * 100).toFixed(1).padStart(5)}%  ${name}`);
  }
  console.log('\ntop functions by self time:');
  for (const [name, us] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, 25)) {
    console.log(`  ${((us / all) * 100).toFixed(1).padStart(5)}%  ${name}`);
  }
}

async function main() {
  const [mode = 'receiver', secondsArg = '8', connectionsArg = '32'] = process.argv.slice(2);
  const pinning = detectPinning();
  pinSelf(pinning);
  const tmp = mkdtempSync(join(tmpdir(), 'idv-profile-'));
  const ctx = { tmp, pinning, nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${tmp}/profiles`] };
  if (mode === 'receiver' || mode === 'all' || mode === 'pg') {
    const target = mode === 'pg' ? 'idv-pg' : mode === 'all' ? 'idv-sqlite-all' : 'idv-sqlite';
    const { server, cleanup } = await startTarget(target, ctx);
    const events = buildEvents(Number(secondsArg) * 15_000, `p${Date.now().toString(36)}`);
    const pool = new RequestPool(
      signedRequests(events, SECRET, `127.0.0.1:${server.port}`),
      events.map((e) => e.id),
    );
    const load = await runLoad({
      url: server.url,
      pool,
      connections: Number(connectionsArg),
      duration: Number(secondsArg),
    });
    console.log(
      `${mode}: ${load.rps.toFixed(0)} req/s, p50 ${load.p50.toFixed(1)} ms, p99 ${load.p99.toFixed(1)} ms`,
    );
    await server.stop();
    await cleanup();
  } else if (mode === 'worker') {
    const file = join(tmp, 'worker.db');
    const count = Number(secondsArg) * 1000;
    await preloadInbox(file, buildEvents(count, `p${Date.now().toString(36)}`));
    const { server, cleanup } = await startTarget('idv-sqlite', ctx, { role: 'worker', dbFile: file });
    const t0 = Date.now();
    await waitProcessed(server, count, 600_000);
    console.log(`worker: ${count} events in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    await server.stop();
    await cleanup();
  } else
    throw new Error(
      'usage: node bench/profile.js receiver|all|pg|worker [seconds|thousands of events] [connections]',
    );
  const dir = join(tmp, 'profiles');
  for (const file of readdirSync(dir)) {
    console.log(`profile: ${join(dir, file)}`);
    print(summarize(JSON.parse(readFileSync(join(dir, file), 'utf8'))));
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
