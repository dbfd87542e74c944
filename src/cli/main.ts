/**
 * `idv <command>`: a thin dispatcher. Each command lives in its own file under commands/ and exports
 * `run(argv): Promise<number>` (the exit code); commands are imported lazily so `idv trigger` does not load
 * the database driver.
 */
type Command = { summary: string; load: () => Promise<{ run(argv: string[]): Promise<number> }> };

const COMMANDS: Record<string, Command> = {
  serve: {
    summary: 'run the service (receiver, worker, dispatcher)',
    load: () => import('./commands/serve.js'),
  },
  demo: {
    summary: 'the offline demo: emulator, idv on SQLite under ./data, a mail sink and a demo page',
    load: () => import('./commands/demo.js'),
  },
  migrate: { summary: 'apply database migrations and exit', load: () => import('./commands/migrate.js') },
  reconcile: {
    summary: 'pull missed Identity events from Stripe into the inbox (--since 72h)',
    load: () => import('./commands/reconcile.js'),
  },
  replay: {
    summary: 'process stored events again: <evt_id>… or --dead',
    load: () => import('./commands/replay.js'),
  },
  emulator: {
    summary: 'run the local Stripe Identity emulator',
    load: () => import('./commands/emulator.js'),
  },
  trigger: {
    summary: 'send one signed Identity event to a URL',
    load: () => import('./commands/trigger.js'),
  },
  endpoint: {
    summary: 'register the webhook endpoint and print its secret',
    load: () => import('./commands/endpoint.js'),
  },
};

export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `Usage: idv <command> [options]\n\nCommands:\n${lines.join('\n')}\n`;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(usage());
    return name === undefined ? 1 : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`idv: unknown command "${name}"\n\n${usage()}`);
    return 1;
  }
  const module = await command.load();
  return module.run(rest);
}
