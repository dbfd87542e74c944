/**
 * Command-line flags as a source of settings. A flag that overrides an environment variable (`--port` for
 * PORT) is stored under that variable's name, so the loaders read one name whichever way it was given and
 * flags win over the environment; a flag of its own (`--since`) is stored under `--since`.
 *
 * The parser lives here, not in cli/, because `loadConfig(argv, env)` parses argv too and config/ sits
 * below cli/; cli/ builds each command's `--help` from the same FlagSpec list.
 */

/** One flag of a command. */
export interface FlagSpec {
  readonly name: string;
  /** Placeholder of its value in the help (`--port PORT`); a flag without one is a switch (`--dead`). */
  readonly value?: string;
  /** The environment variable the flag overrides. */
  readonly env?: string;
  readonly description: string;
}

/** One environment variable a command reads, for its help. */
export interface EnvSpec {
  readonly name: string;
  readonly description: string;
  /** Shown as the default when it is not a plain fallback value (e.g. "from STRIPE_SECRET_KEY"). */
  readonly default?: string;
}

export interface ParsedFlags {
  /** Flag values, keyed by `flagKey`; a switch that is present is `'true'`. */
  readonly values: Record<string, string>;
  readonly positionals: string[];
  /** `--help` or `-h` was given. */
  readonly help: boolean;
  /** Unknown flags, missing values; each names the flag. */
  readonly problems: string[];
}

export function flagKey(flag: FlagSpec): string {
  return flag.env ?? `--${flag.name}`;
}

/** `--name value`, `--name=value`, switches, `-h`/`--help`, positionals; `--` ends the flags. */
export function parseFlags(argv: readonly string[], flags: readonly FlagSpec[]): ParsedFlags {
  const values: Record<string, string> = {};
  const positionals: string[] = [];
  const problems: string[] = [];
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg === '-h' || arg === '--help') {
      help = true;
      continue;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const body = arg.replace(/^--?/, '');
    const eq = body.indexOf('=');
    const name = eq >= 0 ? body.slice(0, eq) : body;
    const flag = flags.find((f) => f.name === name);
    if (!flag) {
      problems.push(`--${name}: unknown option (known: ${knownFlags(flags)})`);
      // Its value, if it had one, is not a stray argument worth a second message.
      if (eq < 0 && argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('-')) i++;
      continue;
    }
    if (flag.value === undefined) {
      if (eq >= 0) problems.push(`--${name}: takes no value`);
      else values[flagKey(flag)] = 'true';
      continue;
    }
    const next = argv[i + 1];
    if (eq >= 0) values[flagKey(flag)] = body.slice(eq + 1);
    else if (next !== undefined && !next.startsWith('--')) values[flagKey(flag)] = argv[++i]!;
    else problems.push(`--${name}: expected a value`);
  }
  return { values, positionals, help, problems };
}

function knownFlags(flags: readonly FlagSpec[]): string {
  return [...flags.map((f) => `--${f.name}`), '--help'].join(', ');
}
