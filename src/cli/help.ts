/**
 * `idv <command> --help`, generated from the command's definition: the usage line, the flags with their
 * descriptions and defaults, and the environment variables the command reads. Defaults come from running
 * the command's own settings loader on an empty source, so the help shows what the code falls back to.
 */
import { flagKey, type FlagSpec } from '../config/flags.js';
import { Reader } from '../config/reader.js';
import type { Command } from './command.js';

export function renderHelp(command: Command): string {
  const read = new Reader({});
  command.readSettings(read);
  const flagRows = command.flags.map((flag) => {
    const notes = [
      flag.env ? `env ${flag.env}` : undefined,
      read.defaults.has(flagKey(flag)) ? `default ${read.defaults.get(flagKey(flag))}` : undefined,
    ].filter((note) => note !== undefined);
    return [
      flagLabel(flag),
      notes.length > 0 ? `${flag.description} [${notes.join(', ')}]` : flag.description,
    ];
  });
  flagRows.push(['-h, --help', 'print this help']);
  const envRows = command.env.map((variable) => {
    const fallback = variable.default ?? read.defaults.get(variable.name);
    return [
      variable.name,
      fallback === undefined ? variable.description : `${variable.description} [default ${fallback}]`,
    ];
  });
  return [
    `Usage: ${usageLine(command)}`,
    '',
    `${capitalise(command.summary)}.`,
    ...(command.details ? ['', command.details] : []),
    '',
    'Flags:',
    ...table(flagRows),
    ...(envRows.length > 0 ? ['', 'Environment:', ...table(envRows)] : ['', 'Environment: none']),
    '',
  ].join('\n');
}

export function renderGroupHelp(group: Command): string {
  const rows = group.subcommands.map((sub) => [sub.name.slice(group.name.length + 1), sub.summary]);
  return [
    `Usage: idv ${group.name} <subcommand> [flags]`,
    '',
    `${capitalise(group.summary)}.`,
    '',
    'Subcommands:',
    ...table(rows),
    '',
    `Run "idv ${group.name} <subcommand> --help" for its flags.`,
    '',
  ].join('\n');
}

/** The usage line of a command, e.g. `idv serve [--port PORT] [--host HOST] …`. */
export function usageLine(command: Command): string {
  const flags = command.flags.map((flag) => `[${flagLabel(flag)}]`);
  return ['idv', command.name, ...(command.args ? [command.args] : []), ...flags].join(' ');
}

function flagLabel(flag: FlagSpec): string {
  return flag.value === undefined ? `--${flag.name}` : `--${flag.name} ${flag.value}`;
}

function table(rows: readonly string[][]): string[] {
  const width = Math.max(...rows.map(([left]) => left!.length));
  return rows.map(([left, right]) => `  ${left!.padEnd(width)}  ${right}`);
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
