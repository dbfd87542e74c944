/**
 * `loadConfig(argv, env)`: the one pure function that turns flags and environment into the service's frozen,
 * validated Config. Flags override environment variables. Every error names the variable (or flag) and the
 * expected form, and all errors are reported at once so a user fixes their environment in one pass.
 */
import type { Config } from './config.js';
import { parseFlags } from './flags.js';
import { Reader, type Source } from './reader.js';
import { SERVICE_FLAGS, SERVICE_LABELS, readServiceConfig, type ServiceConfigOptions } from './service.js';

export type LoadOptions = ServiceConfigOptions;
export { DEFAULT_RETRY_SCHEDULE_MS } from './reactions.js';

export function loadConfig(argv: readonly string[], env: Source, options: LoadOptions): Config {
  const parsed = parseFlags(argv, SERVICE_FLAGS);
  const read = new Reader({ ...env, ...parsed.values }, SERVICE_LABELS);
  for (const problem of parsed.problems) read.report(problem);
  if (parsed.help) read.report('--help: not a configuration option');
  if (parsed.positionals.length > 0) read.report(`unexpected argument "${parsed.positionals[0]}"`);
  return read.finish(readServiceConfig(read, options));
}
