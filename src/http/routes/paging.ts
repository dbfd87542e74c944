/** Query parameters shared by the admin lists: a parameter given once, and `limit`. */
import { IdvError } from '../../errors.js';

/** The parameter's value, undefined when absent or empty; 400 when it is given twice. */
export function singleParam(query: Record<string, unknown>, name: string): string | undefined {
  const value = query[name];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') {
    throw new IdvError('invalid_request', `${name} must be given once.`, { param: name });
  }
  return value;
}

export function pageLimit(query: Record<string, unknown>, fallback: number, max: number): number {
  const raw = singleParam(query, 'limit');
  const limit = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > max) {
    throw new IdvError('invalid_request', `limit must be a whole number from 1 to ${max}.`, {
      param: 'limit',
    });
  }
  return limit;
}
