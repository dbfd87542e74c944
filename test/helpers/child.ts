/** Runs the real `idv` bin as a child process (built dist/, as a user runs it) and waits until it serves. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const IDV_BIN = fileURLToPath(new URL('../../bin/idv.js', import.meta.url));

export interface IdvChild {
  proc: ChildProcess;
  url: string;
  output: () => string;
  /** Resolves with the exit code (or signal) once the process has ended. */
  exited: Promise<number | string | null>;
}

export async function spawnIdv(
  args: string[],
  env: Record<string, string>,
  readyMessage = 'idv serving',
  /** Lowers the child's open-file limit (through the shell's `ulimit -n`), as on a small host. */
  maxOpenFiles?: number,
): Promise<IdvChild> {
  const command =
    maxOpenFiles === undefined
      ? [process.execPath, IDV_BIN, ...args]
      : ['/bin/sh', '-c', `ulimit -n ${maxOpenFiles} && exec "$0" "$@"`, process.execPath, IDV_BIN, ...args];
  const proc = spawn(command[0]!, command.slice(1), {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | string | null>((resolve) =>
    proc.on('exit', (code, signal) => resolve(code ?? signal)),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`idv did not start in time:\n${output}`)), 20_000);
    let pending = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      // Only new, complete lines are scanned: a chatty child must not make this quadratic.
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.includes(readyMessage)) continue;
        try {
          const parsed = JSON.parse(line) as { url?: string };
          if (parsed.url) {
            clearTimeout(timer);
            resolve(parsed.url);
          }
        } catch {
          // not a JSON log line
        }
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`idv exited (${code}) before serving:\n${output}`));
    });
  });
  return { proc, url, output: () => output, exited };
}
