/**
 * `node bench/stats.js [--sizes 10000,100000] [--runs 5] [--no-postgres]`: the insights phase alone (run
 * `npm run build` first; `npm run bench` runs it with the others). Prints the timings and the 100k/10k ratio
 * and writes them to bench/results/stats.json.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { statsBench } from './phases/stats.js';
import { statsSection } from './lib/report.js';
import { ROOT } from './lib/targets.js';

const argv = process.argv.slice(2);
const value = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i === -1 ? fallback : argv[i + 1];
};
const sizes = value('sizes', '10000,100000').split(',').map(Number);
const runs = Number(value('runs', '5'));
const tmp = mkdtempSync(join(tmpdir(), 'idv-bench-stats-'));
try {
  const started = Date.now();
  console.log(`insights: stats on ${sizes.join(' and ')} subjects, median of ${runs} runs after a warm-up`);
  const results = await statsBench(
    { tmp },
    { sizes, runs, postgres: !argv.includes('--no-postgres'), log: console.log },
  );
  results.measuredAt = new Date(started).toISOString();
  results.seconds = (Date.now() - started) / 1000;
  mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
  writeFileSync(join(ROOT, 'bench/results/stats.json'), JSON.stringify(results, null, 2));
  console.log(`\n${statsSection(results).join('\n')}`);
  console.log(`done in ${results.seconds.toFixed(0)} s; raw results in bench/results/stats.json`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
