/**
 * `idv <command>`: a thin dispatcher over the command definitions in commands/ (one file per command). The
 * definitions are light: each command loads what it runs (database driver, stripe-node) only when it runs.
 */
import { demo } from './commands/demo.js';
import { emulator } from './commands/emulator.js';
import { endpoint } from './commands/endpoint.js';
import { migrate } from './commands/migrate.js';
import { operator } from './commands/operator.js';
import { reconcile } from './commands/reconcile.js';
import { rekey } from './commands/rekey.js';
import { replay } from './commands/replay.js';
import { serve } from './commands/serve.js';
import { stats } from './commands/stats.js';
import { trigger } from './commands/trigger.js';
import type { Command, CommandIo } from './command.js';

export const COMMANDS: readonly Command[] = [
  serve,
  demo,
  migrate,
  reconcile,
  replay,
  rekey,
  emulator,
  trigger,
  endpoint,
  operator,
  stats,
];

export function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return `Usage: idv <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun "idv <command> --help" for its flags and environment variables.\n`;
}

/** The exit code; `io` defaults to this process (the one place the CLI reads process.env). */
export async function main(argv: readonly string[], io: CommandIo = { env: process.env }): Promise<number> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    // `idv help serve` is `idv serve --help`.
    const topic = name === 'help' ? COMMANDS.find((c) => c.name === rest[0]) : undefined;
    if (topic) return topic.run(['--help'], io);
    stdout.write(usage());
    return name === undefined ? 1 : 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    stderr.write(`idv: unknown command "${name}"\n\n${usage()}`);
    return 1;
  }
  return command.run(rest, io);
}
