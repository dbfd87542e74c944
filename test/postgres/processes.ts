/**
 * Real `idv serve` processes for the PostgreSQL tests (built dist/, as a user runs it). Unlike
 * test/helpers/child.ts, every process is tracked from the moment it is spawned — one that never becomes
 * ready is still stopped — and only the last 64 KiB of output is kept, scanned line by line, because these
 * tests make the services log thousands of lines.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { IDV_BIN } from '../helpers/child.js';

export interface ServiceProcess {
  proc: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<number | string | null>;
}

export class ServiceProcesses {
  private readonly started: { proc: ChildProcess; exited: Promise<unknown> }[] = [];

  async start(env: Record<string, string>, args: string[] = []): Promise<ServiceProcess> {
    const proc = spawn(process.execPath, [IDV_BIN, 'serve', '--port', '0', ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | string | null>((resolve) =>
      proc.on('exit', (code, signal) => resolve(code ?? signal)),
    );
    this.started.push({ proc, exited });
    let tail = '';
    let pending = '';
    let onLine: ((line: string) => void) | undefined;
    proc.stdout!.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      tail = (tail + text).slice(-65_536);
      if (!onLine) return;
      pending += text;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      // onLine unsets itself once the process serves; later lines of the same chunk are only kept in tail.
      for (const line of lines) onLine?.(line);
    });
    proc.stderr!.on('data', (chunk: Buffer) => (tail = (tail + chunk.toString()).slice(-65_536)));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`idv did not start in time:\n${tail}`)), 20_000);
      onLine = (line) => {
        if (!line.includes('idv serving')) return;
        const parsed = JSON.parse(line) as { url?: string };
        if (!parsed.url) return;
        clearTimeout(timer);
        onLine = undefined;
        resolve(parsed.url);
      };
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`idv exited (${code}) before serving:\n${tail}`));
      });
    });
    return { proc, url, output: () => tail, exited };
  }

  /** SIGTERM to every process started here; resolves when all have exited. */
  async stopAll(): Promise<void> {
    for (const { proc } of this.started)
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
    await Promise.all(this.started.map((s) => s.exited));
  }
}
