/**
 * `npm run bench [-- --quick]`: ingest and processing speed of idv against the seed's sample and a raw
 * node:http ceiling, in one run, on this machine. See BENCHMARKS.md for what each figure means.
 *
 * Flags: --quick (3 s runs, one round, small worker and soak), --rounds N, --duration S, --soak N,
 * --soak-minutes M (sending budget of the soak, 10 by default; 0 = none), --worker N,
 * --only ingest,worker,e2e,soak,stats, --profile (servers run under node --cpu-prof; profiles in the temp dir),
 * --out FILE (default BENCHMARKS.md for a full run, bench/results/quick.md for --quick), --keep (keep temp files),
 * --render FILE (no measuring: render the report again from a saved bench/results/latest.json).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeMachine, idleBusyFraction } from './lib/machine.js';
import { detectPinning, pinSelf } from './lib/processes.js';
import { renderReport, writeReport } from './lib/report.js';
import { ROOT, startTarget } from './lib/targets.js';
import { e2eBench } from './phases/e2e.js';
import { ingestRun } from './phases/ingest.js';
import { soakBench } from './phases/soak.js';
import { statsBench } from './phases/stats.js';
import { workerBench } from './phases/worker.js';

function parseFlags(argv) {
  const flags = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new Error(`unexpected argument "${arg}"`);
    const [key, inline] = arg.slice(2).split('=', 2);
    if (['quick', 'profile', 'keep'].includes(key)) flags[key] = true;
    else if (
      ['rounds', 'duration', 'soak', 'soak-minutes', 'worker', 'only', 'out', 'render'].includes(key)
    ) {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new Error(`--${key}: expected a value`);
      flags[key] = value;
    } else throw new Error(`unknown option --${key}`);
  }
  return flags;
}

const flags = parseFlags(process.argv.slice(2));
const quick = Boolean(flags.quick);
const settings = {
  quick,
  rounds: Number(flags.rounds ?? (quick ? 1 : 3)),
  duration: Number(flags.duration ?? (quick ? 3 : 10)),
  warmupSeconds: quick ? 0.5 : 1,
  warmupPool: quick ? 8_000 : 20_000,
  // Signed events per measured run: servers that store need a distinct id per request; the baselines may reuse.
  poolCap: quick ? 60_000 : 250_000,
  poolCapStateless: quick ? 20_000 : 60_000,
  concurrencies: [32, 128],
  workerEvents: Number(flags.worker ?? (quick ? 10_000 : 100_000)),
  workerTimeoutMs: quick ? 30_000 : 900_000,
  e2eRate: 1000,
  e2eSeconds: quick ? 3 : 10,
  soakEvents: Number(flags.soak ?? (quick ? 50_000 : 1_000_000)),
  soakChunk: quick ? 5_000 : 20_000,
  // The soak stops sending when this budget is spent (the worker, not the receiver, sets its pace; see
  // BENCHMARKS.md), and waits for the worker at most `soakDrainMinutes`. --quick fits the whole run in 2 min.
  soakMinutes: Number(flags['soak-minutes'] ?? (quick ? 0 : 10)),
  soakDrainMinutes: quick ? 0 : 5,
  quickBudgetSeconds: 100,
  soakConnections: 32,
  phases: new Set((flags.only ?? 'ingest,worker,e2e,soak,stats').split(',')),
  statsSizes: quick ? [1_000, 10_000] : [10_000, 100_000],
};
const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
const out = flags.out ?? (quick ? join(ROOT, 'bench/results/quick.md') : join(ROOT, 'BENCHMARKS.md'));

const log = (line) => console.log(line);
const fmt = (n, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '–');

async function pgAvailability(ctx) {
  try {
    const { server, cleanup } = await startTarget('idv-pg', ctx);
    await server.stop();
    await cleanup();
    return { available: true };
  } catch (err) {
    const message = String(err.message);
    const reason = /not available/.test(message)
      ? 'the PostgreSQL store is not in this build yet (src/main/open-postgres.ts)'
      : (message.split('\n').find((l) => /error|ECONN|refused|password|not/i.test(l)) ??
        message.split('\n')[0]);
    return { available: false, reason: reason.trim() };
  }
}

async function main() {
  const started = Date.now();
  const pinning = detectPinning();
  // Described before pinning: `nproc` counts only the CPUs this process may use.
  const machine = describeMachine();
  pinSelf(pinning);
  const tmp = mkdtempSync(join(tmpdir(), 'idv-bench-'));
  const ctx = {
    tmp,
    pinning,
    ...settings,
    nodeFlags: flags.profile ? ['--cpu-prof', `--cpu-prof-dir=${tmp}/profiles`] : [],
  };
  machine.busyBeforeStart = await idleBusyFraction(1000);
  log(
    `idv bench (${quick ? 'quick' : 'full'}): ${machine.nproc} CPU ${machine.cpuModel}, Node ${machine.node}`,
  );
  log(
    pinning.enabled
      ? `servers on core ${pinning.serverCore}, load on core ${pinning.loadCore}`
      : `no pinning: ${pinning.reason}`,
  );
  log(
    `temp dir ${tmp}; other load on the machine before start: ${(machine.busyBeforeStart * 100).toFixed(0)}% CPU`,
  );

  const results = {
    settings: { ...settings, phases: [...settings.phases] },
    machine,
    pinning,
    command,
    ingest: [],
  };
  try {
    if (settings.phases.has('ingest')) {
      const pg = await pgAvailability(ctx);
      results.pg = pg;
      log(pg.available ? 'PostgreSQL leg: available' : `PostgreSQL leg: not available (${pg.reason})`);
      const targets = [
        'raw',
        'seed',
        'idv-sqlite',
        ...(pg.available ? ['idv-pg'] : []),
        'idv-sqlite-all',
        'idv-sqlite-all-key',
        ...(machine.nproc > 1 ? ['idv-sqlite-all-threads'] : []),
      ];
      for (let round = 1; round <= settings.rounds; round++) {
        // Alternate the order of concurrencies between rounds so neither always runs on a cooler machine.
        const concurrencies = round % 2 ? settings.concurrencies : [...settings.concurrencies].reverse();
        for (const target of targets) {
          for (const c of concurrencies) {
            const row = await ingestRun(ctx, target, c, round);
            results.ingest.push(row);
            log(
              `  round ${round} ${target.padEnd(14)} c=${String(c).padEnd(3)} ${fmt(row.rps).padStart(6)} req/s` +
                `  p50 ${fmt(row.p50, 1)} ms  p99 ${fmt(row.p99, 1)} ms  rss ${fmt(row.rssMB)} MB  cpu ${fmt(row.serverCpu * 100)}%` +
                `  non-2xx ${row.non2xx}${row.stored !== null ? `  stored ${row.stored}, acked-not-stored ${row.missing}` : ''}` +
                (row.e2eP99 != null ? `  received→processed p99 ${fmt(row.e2eP99, 1)} ms` : ''),
            );
          }
        }
      }
    }
    if (settings.phases.has('worker')) {
      log(`worker: ${settings.workerEvents} events preloaded, then --role worker`);
      results.worker = await workerBench(ctx, { count: settings.workerEvents });
      log(
        `  ${fmt(results.worker.eventsPerSecond)} events/s (${fmt(results.worker.seconds, 1)} s, server CPU ${fmt(results.worker.serverCpu * 100)}%)`,
      );
      results.pg ??= await pgAvailability(ctx);
      if (results.pg.available) {
        log(`worker on PostgreSQL: ${settings.workerEvents} events preloaded, then --role worker`);
        results.workerPg = await workerBench(ctx, { count: settings.workerEvents, store: 'postgres' });
        log(
          `  ${fmt(results.workerPg.eventsPerSecond)} events/s (${fmt(results.workerPg.seconds, 1)} s, server CPU ${fmt(results.workerPg.serverCpu * 100)}%)`,
        );
      }
    }
    if (settings.phases.has('e2e')) {
      log(`end-to-end: ${settings.e2eRate} events/s for ${settings.e2eSeconds} s, role all`);
      results.e2e = await e2eBench(ctx, {
        rate: settings.e2eRate,
        seconds: settings.e2eSeconds,
        warmupSeconds: 1,
        drainMs: quick ? 15_000 : 120_000,
      });
      log(
        `  received → processed p50 ${fmt(results.e2e.e2eP50, 1)} ms, p99 ${fmt(results.e2e.e2eP99, 1)} ms`,
      );
    }
    if (settings.phases.has('soak')) {
      log(`soak: ${settings.soakEvents} events, role all, c=${settings.soakConnections}`);
      const quickLeft = started + settings.quickBudgetSeconds * 1000 - Date.now();
      results.soak = await soakBench(ctx, {
        total: settings.soakEvents,
        chunk: settings.soakChunk,
        connections: settings.soakConnections,
        // --quick: the soak gets what is left of the budget, two thirds sending and one third draining.
        sendUntil: quick
          ? Date.now() + Math.max(5_000, (quickLeft * 2) / 3)
          : Date.now() + settings.soakMinutes * 60_000,
        drainUntil: quick ? Date.now() + Math.max(8_000, quickLeft) : null,
        drainMinutes: settings.soakDrainMinutes,
        log,
      });
      log(
        `  RSS ${fmt(results.soak.rssBaselineMB)} → ${fmt(results.soak.rssEndMB)} MB (${fmt(results.soak.growth * 100, 1)}%)`,
      );
    }
    if (settings.phases.has('stats')) {
      log(`insights: GET /admin/api/stats on ${settings.statsSizes.join(' and ')} subjects`);
      const pg = results.pg ?? (await pgAvailability(ctx));
      results.stats = await statsBench(ctx, { sizes: settings.statsSizes, postgres: pg.available, log });
    }
  } finally {
    results.machine.loadAverageAtEnd = (await import('node:os')).loadavg();
    results.seconds = (Date.now() - started) / 1000;
    results.measuredAt = new Date(started).toISOString();
    mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
    writeFileSync(join(ROOT, 'bench/results/latest.json'), JSON.stringify(results, null, 2));
    if (!flags.keep && !flags.profile) rmSync(tmp, { recursive: true, force: true });
  }
  const report = renderReport(results);
  console.log(`\n${report}`);
  await writeReport(out, report);
  log(`\nwritten to ${out} (raw results: bench/results/latest.json) in ${fmt(results.seconds)} s`);
}

async function render(file) {
  const results = JSON.parse(readFileSync(file, 'utf8'));
  results.measuredAt ??= statSync(file).mtime.toISOString();
  const target =
    flags.out ??
    (results.settings.quick ? join(ROOT, 'bench/results/quick.md') : join(ROOT, 'BENCHMARKS.md'));
  await writeReport(target, renderReport(results));
  log(`rendered ${file} to ${target}`);
}

(flags.render ? render(flags.render) : main()).catch((err) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exitCode = 1;
});
