/**
 * Typed readers over decoded form parameters. Every failure is a Stripe-shaped 400 that names the
 * parameter (`param`), so stripe-node callers see `err.param` exactly as they would against Stripe.
 */
import { invalidParam, unknownParam } from './api-error.js';
import type { FormObject, FormValue } from './form-body.js';

export function assertKnownParams(params: FormObject, allowed: readonly string[]): void {
  for (const key of Object.keys(params)) {
    if (!allowed.includes(key)) throw unknownParam(key);
  }
}

export function optionalString(params: FormObject, name: string): string | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalidParam(name, `Invalid string: ${name} must be a string.`);
  return value;
}

/** stripe-node encodes `null` as an empty string (reference §9); Stripe reads that as "unset". */
export function optionalNullableString(params: FormObject, name: string): string | null | undefined {
  const value = optionalString(params, name);
  return value === '' ? null : value;
}

export function optionalBoolean(
  params: FormObject,
  name: string,
  value: FormValue | undefined = params[name],
): boolean | undefined {
  if (value === undefined) return undefined;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw invalidParam(name, `Invalid boolean: ${name} must be true or false.`);
}

export function optionalStringArray(params: FormObject, name: string): string[] | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  if (value === '') return [];
  if (!Array.isArray(value) || !value.every((item): item is string => typeof item === 'string')) {
    throw invalidParam(name, `Invalid array: ${name} must be an array of strings.`);
  }
  return value;
}

/** `metadata[key]=value` pairs; an empty value unsets the key, `metadata=` unsets everything (Stripe semantics). */
export function optionalMetadata(
  params: FormObject,
  name = 'metadata',
): Record<string, string | null> | null | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  if (value === '') return null;
  if (typeof value !== 'object' || Array.isArray(value))
    throw invalidParam(name, `Invalid hash: ${name} must be a hash.`);
  const result: Record<string, string | null> = {};
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== 'string')
      throw invalidParam(`${name}[${key}]`, `Invalid string: ${name}[${key}] must be a string.`);
    if (key.length > 40)
      throw invalidParam(`${name}[${key}]`, 'Metadata keys can be at most 40 characters long.');
    if (item.length > 500)
      throw invalidParam(`${name}[${key}]`, 'Metadata values can be at most 500 characters long.');
    result[key] = item === '' ? null : item;
  }
  return result;
}

export function applyMetadata(
  current: Record<string, string>,
  patch: Record<string, string | null> | null,
): Record<string, string> {
  if (patch === null) return {};
  const next = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete next[key];
    else next[key] = value;
  }
  return next;
}

export function optionalHash(params: FormObject, name: string): FormObject | undefined {
  const value = params[name];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'object' || Array.isArray(value))
    throw invalidParam(name, `Invalid hash: ${name} must be a hash.`);
  return value;
}

export function optionalInteger(
  params: FormObject,
  name: string,
  value: FormValue | undefined = params[name],
): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^-?\d+$/.test(value)) {
    throw invalidParam(
      name,
      `Invalid integer: ${typeof value === 'string' ? value : name}`,
      'parameter_invalid_integer',
    );
  }
  return Number(value);
}

export function oneOf<T extends string>(
  name: string,
  value: string | undefined,
  allowed: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw invalidParam(name, `Invalid ${name}: must be one of ${allowed.join(', ')}`);
  }
  return value as T;
}
