/** What the numbers were measured on: enough to tell whether two tables are comparable. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';

function run(file, args) {
  try {
    return execFileSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
}

export function describeMachine() {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const meminfo = readFileSync('/proc/meminfo', 'utf8');
  const memKb = Number(/MemTotal:\s+(\d+)/.exec(meminfo)?.[1] ?? 0);
  const dirty = run('git', ['status', '--porcelain']).split('\n').filter(Boolean).length;
  return {
    nproc: Number(run('nproc', [])) || os.cpus().length,
    cpuModel: /model name\s*:\s*(.+)/.exec(cpuinfo)?.[1]?.trim() ?? 'unknown',
    node: process.version,
    memoryGiB: memKb / 2 ** 20,
    kernel: os.release(),
    commit: run('git', ['rev-parse', '--short', 'HEAD']) || 'unknown',
    uncommittedFiles: dirty,
    loadAverage: os.loadavg(),
  };
}

/** Other processes' CPU use, sampled over `ms`: busy fraction of all CPUs excluding this process tree is not
 * separable from /proc/stat, so the caller samples it while idle (before the first run). */
export async function idleBusyFraction(ms = 1000) {
  const read = () => {
    const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
    const idle = fields[3] + fields[4];
    const total = fields.reduce((a, b) => a + b, 0);
    return { idle, total };
  };
  const a = read();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const b = read();
  return 1 - (b.idle - a.idle) / (b.total - a.total);
}
