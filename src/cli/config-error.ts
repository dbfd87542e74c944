import { isIdvError } from '../errors.js';

/** Runs a config loader; a config error is printed for the user and becomes exit code 2. */
export function exitOnConfigError<T>(load: () => T): T | number {
  try {
    return load();
  } catch (err) {
    if (!isIdvError(err, 'config_invalid')) throw err;
    process.stderr.write(`idv: ${err.message}\n`);
    return 2;
  }
}
