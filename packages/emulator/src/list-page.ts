/**
 * Stripe list semantics shared by every `GET /v1/<collection>` (reference §4.1, §8): newest first,
 * `limit` 1–100 (default 10), cursor by object id with `starting_after` (older than the cursor) or
 * `ending_before` (the `limit` objects just newer than it, still listed newest first — stripe-node's
 * auto-pagination walks such pages backwards), `created` as a number or `{gt,gte,lt,lte}`.
 */
import { invalidParam } from './api-error.js';
import type { FormObject } from './form-body.js';
import { optionalInteger, optionalString } from './params.js';

export interface ListPage<T> {
  object: 'list';
  data: T[];
  has_more: boolean;
  url: string;
}

export interface PageParams {
  limit: number;
  startingAfter: string | undefined;
  endingBefore: string | undefined;
}

export const PAGE_PARAM_NAMES = ['limit', 'starting_after', 'ending_before', 'expand'] as const;

export function readPageParams(params: FormObject): PageParams {
  const limit = optionalInteger(params, 'limit') ?? 10;
  if (limit < 1 || limit > 100) {
    throw invalidParam('limit', `Invalid limit: must be between 1 and 100 (got ${limit}).`);
  }
  const startingAfter = optionalString(params, 'starting_after') || undefined;
  const endingBefore = optionalString(params, 'ending_before') || undefined;
  if (startingAfter !== undefined && endingBefore !== undefined) {
    throw invalidParam(
      'ending_before',
      'You may only specify one of these parameters: starting_after, ending_before.',
    );
  }
  return { limit, startingAfter, endingBefore };
}

export type CreatedFilter = (createdSec: number) => boolean;

/** `created=123` or `created[gt]=…&created[lte]=…`. */
export function readCreatedFilter(params: FormObject, name = 'created'): CreatedFilter {
  const value = params[name];
  if (value === undefined) return () => true;
  if (typeof value === 'string') {
    const exact = optionalInteger(params, name);
    return (created) => created === exact;
  }
  if (Array.isArray(value))
    throw invalidParam(name, `Invalid ${name}: must be an integer or a hash of gt, gte, lt, lte.`);
  const bounds: Array<(created: number) => boolean> = [];
  for (const [op, raw] of Object.entries(value)) {
    const bound = optionalInteger(params, `${name}[${op}]`, raw);
    if (bound === undefined) continue;
    if (op === 'gt') bounds.push((c) => c > bound);
    else if (op === 'gte') bounds.push((c) => c >= bound);
    else if (op === 'lt') bounds.push((c) => c < bound);
    else if (op === 'lte') bounds.push((c) => c <= bound);
    else
      throw invalidParam(`${name}[${op}]`, `Received unknown parameter: ${name}[${op}]`, 'parameter_unknown');
  }
  return (created) => bounds.every((test) => test(created));
}

/**
 * `items` must already be filtered and sorted newest first. Cursors are compared by creation sequence,
 * not by position in `items`, so a cursor that the filters exclude still pages correctly. `cursorSeq`
 * returns undefined for an id not in the collection, which Stripe reports as a missing resource.
 */
export function paginate<T>(
  items: readonly T[],
  page: PageParams,
  url: string,
  seqOf: (item: T) => number,
  cursorSeq: (id: string) => number | undefined,
  objectName: string,
): ListPage<T> {
  if (page.startingAfter !== undefined) {
    const cursor = requireCursor(cursorSeq, page.startingAfter, 'starting_after', objectName);
    const older = items.filter((item) => seqOf(item) < cursor);
    return { object: 'list', data: older.slice(0, page.limit), has_more: older.length > page.limit, url };
  }
  if (page.endingBefore !== undefined) {
    const cursor = requireCursor(cursorSeq, page.endingBefore, 'ending_before', objectName);
    const newer = items.filter((item) => seqOf(item) > cursor);
    const start = Math.max(0, newer.length - page.limit);
    return { object: 'list', data: newer.slice(start), has_more: start > 0, url };
  }
  return { object: 'list', data: items.slice(0, page.limit), has_more: items.length > page.limit, url };
}

function requireCursor(
  cursorSeq: (id: string) => number | undefined,
  id: string,
  param: string,
  objectName: string,
): number {
  const seq = cursorSeq(id);
  if (seq === undefined) throw invalidParam(param, `No such ${objectName}: '${id}'`, 'resource_missing');
  return seq;
}
