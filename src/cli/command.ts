/**
 * A CLI command is one definition: its name, summary, flags, the environment variables it reads, a loader
 * that turns (flags, environment) into its settings through config/, and `run`, which gets the settings
 * and nothing else from the environment. The runner here does the rest the same way for every command:
 * `--help` (generated from the definition, help.ts), unknown flags (exit 2), bad settings (every one named).
 */
import { parseFlags, type EnvSpec, type FlagSpec } from '../config/flags.js';
import { Reader, type Source } from '../config/reader.js';
import { isIdvError } from '../errors.js';
import { renderGroupHelp, renderHelp } from './help.js';
import { explainStartupError } from './startup-errors.js';

export interface CommandIo {
  /** The environment the settings are read from; cli/main.ts passes process.env. */
  env?: Source;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
  /** Stops a long-running command like SIGINT does; for running it in-process. */
  signal?: AbortSignal;
  /** Milliseconds since the epoch. */
  clock?: () => number;
}

export interface CommandContext<S> {
  readonly settings: S;
  /** The positional arguments. */
  readonly args: readonly string[];
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly signal: AbortSignal | undefined;
  readonly clock: () => number;
  /** Writes `idv <command>: <message>` to stderr and returns `code` (default 1). */
  fail(message: string, code?: number): number;
}

export interface CommandDefinition<S> {
  /** As typed after `idv`: `serve`, `endpoint create`. */
  name: string;
  summary: string;
  /** Positional arguments for the usage line (`<event-type>`); without it, none are accepted. */
  args?: string;
  /** More help text after the summary. */
  details?: string;
  flags: readonly FlagSpec[];
  env: readonly EnvSpec[];
  /** How messages name a setting when not as itself (see Reader). */
  labels?: Readonly<Record<string, string>>;
  /** Reads the settings with config/ loaders. Never throws: problems go to the Reader. */
  settings(read: Reader): S;
  /**
   * Exit code for bad settings: 2, the usual code for a usage error, unless the command's scripts
   * already rely on another (trigger, endpoint and emulator exit 1, as before they shared this runner).
   */
  settingsErrorExit?: number;
  run(context: CommandContext<S>): Promise<number>;
}

/** A command (or a group of subcommands, such as `idv endpoint`) as cli/main.ts and the tests see it. */
export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly args: string | undefined;
  readonly details: string | undefined;
  readonly flags: readonly FlagSpec[];
  readonly env: readonly EnvSpec[];
  readonly subcommands: readonly Command[];
  /** Runs the settings loader on `read` (the help uses it with an empty source to find the defaults). */
  readSettings(read: Reader): unknown;
  run(argv: readonly string[], io?: CommandIo): Promise<number>;
}

export function defineCommand<S>(definition: CommandDefinition<S>): Command {
  const command: Command = {
    name: definition.name,
    summary: definition.summary,
    args: definition.args,
    details: definition.details,
    flags: definition.flags,
    env: definition.env,
    subcommands: [],
    readSettings: (read) => definition.settings(read),
    run: (argv, io = {}) => execute(definition, command, argv, io),
  };
  return command;
}

async function execute<S>(
  definition: CommandDefinition<S>,
  command: Command,
  argv: readonly string[],
  io: CommandIo,
): Promise<number> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const fail = (message: string, code = 1): number => {
    stderr.write(`idv ${definition.name}: ${message}\n`);
    return code;
  };
  const parsed = parseFlags(argv, definition.flags);
  if (parsed.help) {
    stdout.write(renderHelp(command));
    return 0;
  }
  const usageProblems = [...parsed.problems];
  if (definition.args === undefined && parsed.positionals.length > 0)
    usageProblems.push(`unexpected argument "${parsed.positionals[0]}"`);
  if (usageProblems.length > 0)
    return fail(`${usageProblems.join('\n  ')}\nRun "idv ${definition.name} --help" for its flags.`, 2);

  const settingsError = (err: unknown): number => {
    if (!isIdvError(err, 'config_invalid')) throw err;
    return fail(err.message, definition.settingsErrorExit ?? 2);
  };
  const read = new Reader({ ...io.env, ...parsed.values }, definition.labels);
  let settings: S;
  try {
    settings = read.finish(definition.settings(read));
  } catch (err) {
    return settingsError(err);
  }
  const context = { settings, args: parsed.positionals, stdout, stderr, signal: io.signal, fail };
  // A setting checked only when used (the policy file, read at start-up) is reported the same way, and so
  // is a database or port that does not work: one line naming the variable (startup-errors.ts).
  return definition.run({ ...context, clock: io.clock ?? Date.now }).catch((err: unknown) => {
    const line = explainStartupError(err, settings as object);
    return line === undefined ? settingsError(err) : fail(line);
  });
}

/** A command whose first argument names a subcommand: `idv endpoint create …`. */
export function defineGroup(group: {
  name: string;
  summary: string;
  subcommands: readonly Command[];
}): Command {
  const command: Command = {
    ...group,
    args: '<subcommand>',
    details: undefined,
    flags: [],
    env: [],
    readSettings: () => undefined,
    run: async ([first, ...rest], io = {}) => {
      const stdout = io.stdout ?? process.stdout;
      const stderr = io.stderr ?? process.stderr;
      if (first === '--help' || first === '-h') {
        stdout.write(renderGroupHelp(command));
        return 0;
      }
      const sub = group.subcommands.find((c) => c.name === `${group.name} ${first}`);
      if (!sub) {
        const what = first === undefined ? 'missing subcommand' : `unknown subcommand "${first}"`;
        stderr.write(`idv ${group.name}: ${what}\n\n${renderGroupHelp(command)}`);
        return 1;
      }
      return sub.run(rest, io);
    },
  };
  return command;
}
