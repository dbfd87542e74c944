/** Reads the IDV_POLICY file (JSON or YAML) and validates it with the domain's parser; errors name the file and key. */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { DEFAULT_POLICY, parsePolicy, type Policy } from '../domain/index.js';
import { IdvError } from '../errors.js';

export function loadPolicy(file: string | undefined): Policy {
  if (file === undefined) return DEFAULT_POLICY;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new IdvError(
      'config_invalid',
      `IDV_POLICY: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`,
    );
  }
  let data: unknown;
  try {
    data = /\.json$/i.test(file) ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new IdvError(
      'config_invalid',
      `IDV_POLICY: ${file} is not valid ${/\.json$/i.test(file) ? 'JSON' : 'YAML'}: ${(err as Error).message}`,
    );
  }
  try {
    return parsePolicy(data);
  } catch (err) {
    throw new IdvError('config_invalid', `IDV_POLICY: ${file}: ${(err as Error).message}`);
  }
}
