/**
 * The results as Markdown: what was run, on what, the tables, and the targets. BENCHMARKS.md keeps anything
 * written below the NOTES marker (profiling notes by hand), so re-running the bench refreshes only the figures.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { median, spread } from './stats.js';
import { TARGETS } from './targets.js';

export const NOTES_MARKER = '<!-- Notes below this line are written by hand and kept by `npm run bench`. -->';

const f0 = (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '–');
const f1 = (n) => (Number.isFinite(n) ? n.toFixed(1) : '–');
const f2 = (n) => (Number.isFinite(n) ? n.toFixed(2) : '–');
const range = (values, f) => {
  const { min, max } = spread(values);
  return values.length > 1 ? `${f(min)}–${f(max)}` : '';
};
const yes = (ok) => (ok === null ? 'n/a' : ok ? '**met**' : '**missed**');

function ingestSummary(rows, target, c) {
  const mine = rows.filter((r) => r.target === target && r.connections === c);
  if (mine.length === 0) return null;
  const pick = (k) => mine.map((r) => r[k]);
  return {
    rows: mine,
    rps: median(pick('rps')),
    rpsValues: pick('rps'),
    p50: median(pick('p50')),
    p99: median(pick('p99')),
    p99Values: pick('p99'),
    rssMB: median(pick('rssMB')),
    cpu: median(pick('serverCpu')),
    // Server CPU time per answered request: on a machine shared with other work this moves far less than req/s.
    cpuPerRequestUs: median(mine.map((r) => (r.serverCpu * 1e6) / r.rps)),
    non2xx: pick('non2xx').reduce((a, b) => a + b, 0),
    errors: pick('errors').reduce((a, b) => a + b, 0),
    stored: mine[0].stored === null ? null : pick('stored').reduce((a, b) => a + b, 0),
    acked: mine[0].stored === null ? null : pick('acked').reduce((a, b) => a + b, 0),
    missing: mine[0].stored === null ? null : pick('missing').reduce((a, b) => a + b, 0),
    repeats: pick('repeats').reduce((a, b) => a + b, 0),
    // Worst round: the target is that the worker keeps up in every run, not in the median one.
    e2eP99: mine[0].e2eP99 === undefined ? null : Math.max(...pick('e2eP99')),
    unprocessed: pick('unprocessed').reduce((a, b) => a + (b ?? 0), 0),
  };
}

/** Per-round ratio of `target` to `base` (same round, same c): shows how stable the ratio itself is. */
function roundRatios(rows, target, base, c) {
  return rows
    .filter((r) => r.target === target && r.connections === c)
    .map((r) => {
      const b = rows.find((x) => x.target === base && x.connections === c && x.round === r.round);
      return b ? r.rps / b.rps : NaN;
    })
    .filter(Number.isFinite);
}

export function renderReport(results) {
  const { machine, settings, pinning, ingest } = results;
  const lines = [];
  const when = (results.measuredAt ?? new Date().toISOString()).replace('T', ' ').slice(0, 16);
  lines.push('# Benchmarks', '');
  lines.push(
    `Measured ${when} UTC with \`${results.command}\`${settings.quick ? ' (**quick**: short runs, one round — indicative only)' : ''}, ` +
      `in ${Math.round(results.seconds)} s.`,
    '',
  );
  lines.push('| machine | |', '|---|---|');
  lines.push(`| CPUs (\`nproc\`) | ${machine.nproc} × ${machine.cpuModel} |`);
  lines.push(`| memory | ${machine.memoryGiB.toFixed(1)} GiB |`);
  lines.push(`| Node | ${machine.node} (Linux ${machine.kernel}) |`);
  lines.push(
    `| pinning | ${pinning.enabled ? `each server on core ${pinning.serverCore} (\`taskset -c ${pinning.serverCore}\`), load generator and checks on core ${pinning.loadCore}` : `none (${pinning.reason})`} |`,
  );
  lines.push(
    `| code | ${machine.commit}${machine.uncommittedFiles ? ` plus ${machine.uncommittedFiles} uncommitted files` : ''} |`,
  );
  lines.push(
    `| other load | ${(machine.busyBeforeStart * 100).toFixed(0)}% of all CPUs busy in the second before the first run; load average ${machine.loadAverage.map((l) => l.toFixed(2)).join(' ')} at start, ${(machine.loadAverageAtEnd ?? []).map((l) => l.toFixed(2)).join(' ')} at end |`,
  );
  lines.push('');
  // The load average lags by minutes; the CPU share sampled just before the start says whether others were running.
  if (machine.busyBeforeStart > 0.15) {
    lines.push(
      '> Other processes were using the CPUs while this ran, so absolute figures are noisy; ' +
        'the ratios, measured in the same run with the servers alternating, are the figures to compare.',
      '',
    );
  }

  if (ingest.length > 0) {
    lines.push('## Ingest: POST /webhook', '');
    lines.push(
      `Signed Identity events of ~2 KB (each request a different event id, signed with stripe-node just before the run), ` +
        `closed loop with autocannon at c=32 and c=128, ${settings.duration} s per run after a ${settings.warmupSeconds} s warm-up, ` +
        `${settings.rounds} round(s) alternating the servers, a fresh server process and database for every run. ` +
        'req/s counts 2xx answers only. Figures are medians over the rounds, min–max beside them. idv answers 2xx only ' +
        "after the event is committed to SQLite (WAL) and the WAL is fdatasync'd (on the thread pool, not the event loop) — durable before the answer.",
      '',
    );
    lines.push(
      '| server | c | req/s | × ceiling | × seed | p50 ms | p99 ms | server CPU | CPU µs / request | RSS MB | non-2xx | acked → stored, missing | received → processed p99 |',
      '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|',
    );
    const order = ['raw', 'seed', 'idv-sqlite', 'idv-pg', 'idv-sqlite-all', 'idv-sqlite-all-key'];
    for (const target of order) {
      for (const c of settings.concurrencies) {
        const s = ingestSummary(ingest, target, c);
        if (!s) continue;
        const ceiling = ingestSummary(ingest, 'raw', c);
        const seed = ingestSummary(ingest, 'seed', c);
        const vsCeil =
          target === 'raw' ? '1' : ratioCell(s.rps / ceiling?.rps, roundRatios(ingest, target, 'raw', c));
        const vsSeed =
          target === 'seed' ? '1' : ratioCell(s.rps / seed?.rps, roundRatios(ingest, target, 'seed', c));
        const storedCell =
          s.stored === null ? 'stores nothing' : `${f0(s.acked)} → ${f0(s.stored)}, **${s.missing} missing**`;
        const lagCell = s.e2eP99 === null ? '' : lagText(s);
        lines.push(
          `| ${TARGETS[target].label} | ${c} | ${f0(s.rps)} ${paren(range(s.rpsValues, f0))} | ${vsCeil} | ${vsSeed} | ${f1(s.p50)} | ${f1(s.p99)} ${paren(range(s.p99Values, f1))} | ${f0(s.cpu * 100)}% | ${f0(s.cpuPerRequestUs)} | ${f0(s.rssMB)} | ${s.non2xx + s.errors} | ${storedCell} | ${lagCell} |`,
        );
      }
    }
    if (results.pg && !results.pg.available) {
      lines.push(
        `| idv serve, PostgreSQL, receiver | – | not available: ${results.pg.reason} | | | | | | | | |`,
      );
    }
    const repeats = ingest.filter((r) => r.repeats > 0 && r.stored !== null);
    lines.push('');
    lines.push(
      'Server CPU is the server process\'s CPU time over the run\'s wall time (1 = its whole core): below 100% the server waits (for fsync or for PostgreSQL) rather than computes, or (on a shared machine) is not given its core. CPU µs / request is that CPU time over the 2xx answers: what one request costs the server, whatever else the machine runs. RSS is the server\'s VmRSS peak during the run. "acked → stored": distinct event ids answered 2xx, rows in the database after a graceful stop (rows ≥ acked: requests in flight when the load stopped are stored without being counted); "missing" are acknowledged events not in the database and must be 0.' +
        (repeats.length
          ? ` ${repeats.length} idv run(s) sent more requests than their signed pool and repeated ids (answered 200, stored once).`
          : ''),
      '',
    );
  }

  if (results.worker) {
    const rows = [results.worker, results.workerPg].filter(Boolean);
    lines.push('## Worker: inbox → processed', '');
    lines.push(
      `${f0(results.worker.count)} events (session lifecycles: created, processing, verified or requires_input then a second attempt) preloaded into a fresh inbox (a SQLite file; a PostgreSQL schema when the database is available) through the store's own insert, then \`idv serve --role worker\` (default IDV_WORKER_BATCH=500) timed from ready until all were processed.`,
      '',
      '| store | events | preload s | seconds | events/s | server CPU | RSS MB | final statuses |',
      '|---|---:|---:|---:|---:|---:|---:|---|',
      ...rows.map(
        (w) =>
          `| ${w.store ?? 'sqlite'} | ${f0(w.count)} | ${f1(w.preloadSeconds)} | ${f1(w.seconds)}${w.complete ? '' : ` (${w.reason})`} | ${f0(w.eventsPerSecond)} | ${f0(w.serverCpu * 100)}% | ${f0(w.rssMB)} | ${Object.entries(
            w.statuses,
          )
            .map(([k, v]) => `${k} ${f0(v)}`)
            .join(', ')} |`,
      ),
      '',
    );
  }

  if (results.e2e) {
    const e = results.e2e;
    lines.push('## End to end at a fixed rate', '');
    lines.push(
      `\`idv serve\` (role all: receiver and worker in one process, SQLite) fed ${f0(e.rate)} events/s open-loop for ${e.seconds} s after 1 s of warm-up; latency = processed_at − received_at of each acknowledged event, from the events table (processed_at is taken just before the transaction that applies the event and commits its reactions).`,
      '',
      '| offered | answered | HTTP p50 / p99 ms | received → processed p50 ms | p99 ms | max ms | sent → processed p50 / p99 ms | processed / acked | RSS MB |',
      '|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
      `| ${f0(e.rate)}/s | ${f0(e.answeredRate)}/s | ${f1(e.httpP50)} / ${f1(e.httpP99)} | ${f1(e.e2eP50)} | ${f1(e.e2eP99)} | ${f1(e.e2eMax)} | ${f1(e.fromSendP50)} / ${f1(e.fromSendP99)} | ${f0(e.processed)} / ${f0(e.ok)}${e.complete ? '' : ' (not drained)'} | ${f0(e.rssMB)} |`,
      '',
      '"answered" is 2xx answers per second over the time until the last answer; below the offered rate the server is saturated and requests queue in the sender, which "received → processed" (the figure the target is set on) does not see and "sent → processed" does.',
      '',
    );
  }

  if (results.soak) {
    const s = results.soak;
    lines.push('## Soak', '');
    lines.push(
      `Up to ${f0(s.total)} events through one \`idv serve\` (role all, SQLite), c=32, in chunks signed just before sending, then until the worker processed them all; RSS sampled every second. Growth = median RSS of the last 10% of the run against the median of the 10–20% window (after the warm-up, the first 10%).${s.sent < s.total ? ` **The sending budget ran out after ${f0(s.sent)} of ${f0(s.total)} events**: the receiver shares its core with the worker (see the notes).` : ''}`,
      '',
      '| events sent | ingest req/s | total s | acked → missing | processed | server CPU | RSS after warm-up MB | RSS at end MB | max MB | growth |',
      '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
      `| ${f0(s.sent)} | ${f0(s.ingestRate)} | ${f0(s.seconds)} | ${f0(s.acked)} → ${s.missing} | ${f0(s.processed)}${s.complete ? '' : ` (not drained within ${f0(s.drainedWithin)} s)`} | ${f0(s.serverCpu * 100)}% | ${f0(s.rssBaselineMB)} | ${f0(s.rssEndMB)} | ${f0(s.rssMaxMB)} | ${f1(s.growth * 100)}% |`,
      '',
    );
  }

  if (results.stats) lines.push(...statsSection(results.stats));

  lines.push('## Targets', '');
  lines.push('| target | measured | |', '|---|---|---|');
  for (const [name, value, ok] of targets(results)) lines.push(`| ${name} | ${value} | ${yes(ok)} |`);
  lines.push('');
  return lines.join('\n');
}

/** The insights phase (bench/phases/stats.js); also rendered alone by bench/stats.js. */
export function statsSection(st) {
  const lines = ['## Insights: GET /admin/api/stats', ''];
  lines.push(
    `The stats answer (\`statsAnswer\`, the route's code without HTTP) on seeded databases whose subjects are spread over ${st.spanDays} days, ` +
      `Europe/Paris days; median of ${st.runs} runs after a warm-up.`,
    '',
    '| store | subjects | 30-day page ms | subjects in it | all days ms | 7 days hourly ms |',
    '|---|---:|---:|---:|---:|---:|',
  );
  for (const r of st.rows) {
    lines.push(
      `| ${r.store} | ${f0(r.subjects)} | ${f1(r.thirtyDayMs)} | ${f0(r.thirtyDaySubjects)} | ${f1(r.allMs)} | ${f1(r.sevenDayHourlyMs)} |`,
    );
  }
  lines.push('');
  for (const [store, ratio] of Object.entries(st.ratios)) {
    lines.push(
      `- ${store}: the larger database costs ${f1(ratio)}× the smaller (target ≤ 12×: ${yes(ratio <= 12)})`,
    );
  }
  lines.push('');
  return lines;
}

function paren(s) {
  return s ? `(${s})` : '';
}

function lagText(s) {
  const p99 = Number.isFinite(s.e2eP99) ? `${f0(s.e2eP99)} ms` : 'not all processed';
  return s.unprocessed > 0 ? `${p99} (${f0(s.unprocessed)} left)` : p99;
}

function ratioCell(ratio, perRound) {
  if (!Number.isFinite(ratio)) return '–';
  return `${f2(ratio)}${perRound.length > 1 ? ` (${range(perRound, f2)})` : ''}`;
}

function targets(results) {
  const out = [];
  const { ingest } = results;
  const get = (t, c) => ingestSummary(ingest, t, c);
  if (ingest.length > 0) {
    for (const c of [32, 128]) {
      const idv = get('idv-sqlite', c);
      const seed = get('seed', c);
      const raw = get('raw', c);
      for (const t of ['idv-sqlite-all', 'idv-sqlite-all-key']) {
        const all = get(t, c);
        if (!all || !seed) continue;
        const name = `default idv serve${t.endsWith('key') ? ', encryption key' : ''}`;
        out.push([`${name} ≥ 1.5× seed, c=${c}`, `${f2(all.rps / seed.rps)}×`, all.rps / seed.rps >= 1.5]);
        out.push([
          `${name}: received → processed p99 ≤ 250 ms, c=${c}`,
          lagText(all),
          all.e2eP99 <= 250 && all.unprocessed === 0,
        ]);
      }
      if (idv && seed)
        out.push([
          `--role receiver ≥ 3× seed, c=${c}`,
          `${f2(idv.rps / seed.rps)}×`,
          idv.rps / seed.rps >= 3,
        ]);
      if (idv && raw)
        out.push([
          `--role receiver ≥ 0.40× ceiling, c=${c}`,
          `${f2(idv.rps / raw.rps)}×`,
          idv.rps / raw.rps >= 0.4,
        ]);
    }
    const idv32 = get('idv-sqlite', 32);
    if (idv32) out.push(['idv SQLite p99 ≤ 50 ms, c=32', `${f1(idv32.p99)} ms`, idv32.p99 <= 50]);
    const missing = ingest.filter((r) => r.missing !== null).reduce((a, r) => a + r.missing, 0);
    out.push(['every acknowledged event stored', `${missing} missing`, missing === 0]);
    if (results.pg?.available) {
      for (const c of [32, 128]) {
        const pg = get('idv-pg', c);
        const seed = get('seed', c);
        if (pg && seed)
          out.push([`idv PostgreSQL ≥ 2× seed, c=${c}`, `${f2(pg.rps / seed.rps)}×`, pg.rps / seed.rps >= 2]);
      }
    } else if (results.pg) out.push(['idv PostgreSQL ≥ 2× seed', 'not available', null]);
  }
  if (results.worker)
    out.push([
      'worker ≥ 20,000 events/s (SQLite)',
      `${f0(results.worker.eventsPerSecond)} events/s`,
      results.worker.eventsPerSecond >= 20_000,
    ]);
  if (results.workerPg)
    out.push([
      'worker ≥ 10,000 events/s (PostgreSQL)',
      `${f0(results.workerPg.eventsPerSecond)} events/s`,
      results.workerPg.eventsPerSecond >= 10_000,
    ]);
  if (results.e2e) {
    // The target is set at 1,000 events/s: a server that answers fewer has not been measured at that rate, and
    // its received → processed figure leaves out the time requests queued before it read them.
    const e = results.e2e;
    const kept = e.answeredRate >= 0.98 * e.rate;
    out.push([
      'end-to-end p99 ≤ 100 ms at 1,000 events/s',
      `received → processed ${f1(e.e2eP99)} ms${kept ? '' : `, but only ${f0(e.answeredRate)}/s answered of ${f0(e.rate)}/s offered (HTTP p99 ${f0(e.httpP99)} ms, sent → processed p99 ${f0(e.fromSendP99)} ms)`}`,
      e.e2eP99 <= 100 && kept,
    ]);
  }
  if (results.soak) {
    const s = results.soak;
    out.push([
      'RSS growth ≤ 10% over the soak',
      `${f1(s.growth * 100)}%${s.sent < s.total ? ` over ${f0(s.sent)} events (not ${f0(s.total)}: sending budget)` : ''}`,
      s.growth <= 0.1,
    ]);
  }
  return out;
}

/**
 * Writes `report`, keeping the hand-written notes of an existing file (everything after NOTES_MARKER), formatted
 * with the repository's Prettier settings so `npm run format:check` stays clean.
 */
export async function writeReport(file, report) {
  let notes = `\n${NOTES_MARKER}\n`;
  if (existsSync(file)) {
    const old = readFileSync(file, 'utf8');
    const at = old.indexOf(NOTES_MARKER);
    if (at >= 0) notes = `\n${old.slice(at)}`;
  }
  let text = `${report}${notes.endsWith('\n') ? notes : `${notes}\n`}`;
  try {
    const prettier = await import('prettier');
    const options = (await prettier.resolveConfig(file)) ?? {};
    text = await prettier.format(text, { ...options, filepath: file });
  } catch {
    // Prettier is a dev dependency; without it the report is written as generated.
  }
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}
