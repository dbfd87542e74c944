/**
 * What parsed JSON from outside may hold before idv passes it on. `JSON.parse` takes any nesting, but
 * `JSON.stringify` and every recursive consumer overflow the stack after a few thousand levels;
 * PostgreSQL's TEXT cannot hold U+0000; and numbers beyond 2^53 are not the integers they look like
 * (`1e20` also overflows a BIGINT).
 */

export interface JsonFindings {
  /** Containers nested deeper than the limit (the walk stops descending there). */
  tooDeep: boolean;
  /** A string or an object key holds U+0000. */
  nul: boolean;
  /** A number that is not finite or beyond ±(2^53 − 1). */
  unsafeNumber: boolean;
}

/**
 * One pass over `value`. It runs on every webhook, so it is a plain recursion — which `maxDepth` bounds,
 * so no body can overflow the stack here.
 */
export function inspectJson(value: unknown, maxDepth: number): JsonFindings {
  const findings: JsonFindings = { tooDeep: false, nul: false, unsafeNumber: false };
  visit(value, maxDepth, findings);
  return findings;
}

function visit(value: unknown, depthLeft: number, findings: JsonFindings): void {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) findings.nul = true;
  } else if (typeof value === 'number') {
    if (!(Math.abs(value) <= Number.MAX_SAFE_INTEGER)) findings.unsafeNumber = true;
  } else if (typeof value === 'object' && value !== null) {
    if (depthLeft <= 0) {
      findings.tooDeep = true;
    } else if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) visit(value[i], depthLeft - 1, findings);
    } else {
      const object = value as Record<string, unknown>;
      for (const key in object) {
        if (key.includes('\u0000')) findings.nul = true;
        visit(object[key], depthLeft - 1, findings);
      }
    }
  }
}

/** Whether any string or key in `value`, however deep, holds U+0000; iterative, as any depth may come. */
export function holdsNul(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const current = stack.pop();
    if (typeof current === 'string') {
      if (current.includes('\u0000')) return true;
    } else if (Array.isArray(current)) {
      for (const item of current) stack.push(item);
    } else if (typeof current === 'object' && current !== null) {
      for (const [key, item] of Object.entries(current)) {
        if (key.includes('\u0000')) return true;
        stack.push(item);
      }
    }
  }
  return false;
}
