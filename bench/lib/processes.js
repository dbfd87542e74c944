/**
 * Server processes for the benchmark: pinned to a core with taskset, listening on 127.0.0.1, their RSS read
 * from /proc, and all of them killed when the benchmark ends — normally, on an error, or on Ctrl-C.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

const live = new Set();

function killAll() {
  for (const child of live) {
    try {
      process.kill(child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  live.clear();
}
process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, () => {
    killAll();
    process.exit(130);
  });
}

/** Core pinning: the load on core 0, servers on core 1; off (with the reason) when it cannot be done. */
export function detectPinning() {
  const cpus = Number(spawnSync('nproc', { encoding: 'utf8' }).stdout.trim() || 1);
  const probe = spawnSync('taskset', ['-c', '0', 'true']);
  if (probe.error || probe.status !== 0) return { enabled: false, reason: 'taskset not available' };
  if (cpus < 2) return { enabled: false, reason: `only ${cpus} CPU` };
  return { enabled: true, loadCore: 0, serverCore: 1 };
}

/** Pins this process and all its threads (autocannon, signing, SQLite reads) to the load core. */
export function pinSelf(pinning) {
  if (!pinning.enabled) return;
  spawnSync('taskset', ['-a', '-p', '-c', String(pinning.loadCore), String(process.pid)], {
    stdio: 'ignore',
  });
}

export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** VmRSS of a process in bytes, or null once it has exited. */
export function rssOf(pid) {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/**
 * Starts `node <args>` on the server core with `env` (PORT set to a free port) and waits until it answers
 * HTTP on `readyPath`. Output goes to `logFile`. Rejects with the log's tail if the process exits first.
 */
export async function startServer({
  name,
  args,
  env,
  pinning,
  logFile,
  readyPath = '/healthz',
  nodeFlags = [],
}) {
  const port = await freePort();
  const fd = openSync(logFile, 'a');
  const command = [process.execPath, ...nodeFlags, ...args];
  const [file, ...argv] = pinning.enabled
    ? ['taskset', '-c', String(pinning.serverCore), ...command]
    : command;
  const child = spawn(file, argv, {
    env: { ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  live.add(child);
  let exited = null;
  const exit = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      live.delete(child);
      exited = { code, signal };
      resolve(exited);
    });
  });
  const server = {
    name,
    pid: child.pid,
    port,
    url: `http://127.0.0.1:${port}`,
    logFile,
    exit,
    rss: () => rssOf(child.pid),
    get exited() {
      return exited;
    },
    /** SIGTERM (graceful: in-flight requests finish, the store closes), SIGKILL after `graceMs`. */
    async stop(graceMs = 10_000) {
      if (exited) return exited;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const result = await exit;
      clearTimeout(timer);
      return result;
    },
  };
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (exited)
      throw new Error(
        `${name} exited (${exited.code ?? exited.signal}) before it answered:\n${tail(logFile)}`,
      );
    if (await answers(server.url + readyPath)) return server;
    if (Date.now() > deadline) {
      await server.stop(1000);
      throw new Error(`${name} did not answer within 20 s:\n${tail(logFile)}`);
    }
    await sleep(50);
  }
}

async function answers(url) {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
    await res.arrayBuffer();
    return true;
  } catch {
    return false;
  }
}

export function tail(file, lines = 15) {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no output)';
  }
}

/** Samples a process's RSS every `everyMs` until stopped; returns [{ t, rss }] with t in ms from start. */
export function sampleRss(pid, everyMs = 1000) {
  const samples = [];
  const t0 = Date.now();
  const take = () => {
    const rss = rssOf(pid);
    if (rss !== null) samples.push({ t: Date.now() - t0, rss });
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    samples,
    stop() {
      clearInterval(timer);
      take();
      return samples;
    },
  };
}

/** CPU seconds (user + system, all threads) a process has used so far, or null once it has exited. */
export function cpuSecondsOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After "pid (comm) ": field 3 is state, so utime (14) and stime (15) are at indexes 11 and 12.
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return null;
  }
}
const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
