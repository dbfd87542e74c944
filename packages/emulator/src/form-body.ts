/**
 * Decodes Stripe's form encoding into nested values. stripe-node sends POST bodies and GET query strings
 * the same way: `a[b][c]=v`, arrays indexed `expand[0]=…` (reference §8, §9), `null` as an empty string.
 * `a[]=v` (what curl users type) is accepted too and appends.
 */
export type FormValue = string | FormValue[] | FormObject;
export interface FormObject {
  [key: string]: FormValue;
}

/** Keys that would reach Object.prototype if used as property names. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export function parseForm(encoded: string): FormObject {
  const root: FormObject = {};
  for (const [rawKey, value] of new URLSearchParams(encoded)) {
    const path = splitKey(rawKey);
    if (path.length === 0 || path.some((segment) => FORBIDDEN_KEYS.has(segment))) continue;
    assign(root, path, value);
  }
  return arraysFromIndexes(root) as FormObject;
}

/** `options[document][allowed_types][0]` → `['options', 'document', 'allowed_types', '0']`. */
function splitKey(key: string): string[] {
  const open = key.indexOf('[');
  if (open < 0) return key === '' ? [] : [key];
  const segments = [key.slice(0, open)];
  const pattern = /\[([^\]]*)\]/g;
  for (const match of key.slice(open).matchAll(pattern)) segments.push(match[1] ?? '');
  return segments[0] === '' ? [] : segments;
}

function assign(target: FormObject, path: string[], value: string): void {
  let node = target;
  for (let i = 0; i < path.length; i++) {
    let segment = path[i]!;
    // `a[]` appends: use the next free numeric index.
    if (segment === '') segment = String(Object.keys(node).length);
    if (i === path.length - 1) {
      node[segment] = value;
      return;
    }
    const existing = node[segment];
    if (existing === undefined || typeof existing === 'string') {
      const child: FormObject = {};
      node[segment] = child;
      node = child;
    } else {
      node = existing as FormObject;
    }
  }
}

/** Objects whose keys are all non-negative integers become arrays ordered by index. */
function arraysFromIndexes(value: FormValue): FormValue {
  if (typeof value === 'string' || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  for (const key of keys) value[key] = arraysFromIndexes(value[key]!);
  if (keys.length > 0 && keys.every((key) => /^\d+$/.test(key))) {
    return keys.sort((a, b) => Number(a) - Number(b)).map((key) => value[key]!);
  }
  return value;
}
