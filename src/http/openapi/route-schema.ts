/**
 * What a route declares about itself: a summary, its inputs as JSON Schemas and its answers by status,
 * referencing components.ts. document.ts turns the declarations into /openapi.json, so the document cannot
 * drift from the routes: a route without one fails test/integration/openapi.test.ts.
 *
 * Fastify validates path and query parameters with them (errors.ts answers a failure as `invalid_request`
 * naming the `param`). Query parameters are strings — a repeated one arrives as an array and is refused as
 * given twice, an empty one means absent — and the handlers keep turning them into numbers and checking
 * ranges. Bodies are described, not compiled: their handlers (and the domain's readers) check them field by
 * field with messages a schema validator cannot give ("note is required: say why, for the record").
 */
import type { FastifySchema } from 'fastify';
import type { Schema } from './json-schema.js';

export type Answer = string | { description: string; schema?: Schema; contentType?: string };

export interface RouteDoc {
  summary: string;
  description?: string;
  /** `app` (/v1, IDV_API_TOKEN), `admin` (/admin/api, an operator), `console`, `service`. */
  tag: 'app' | 'admin' | 'console' | 'service';
  params?: Record<string, Schema>;
  query?: Record<string, Schema>;
  /** The JSON body, checked by the handler; `required` when the route refuses a request without one. */
  body?: { schema: Schema; required: boolean };
  /** Status → a component name or a description. */
  answers: Record<number, Answer>;
  /** Error statuses the route answers besides the ones of its tag (401, 403 for admin). */
  errors?: number[];
}

declare module 'fastify' {
  interface FastifySchema {
    /** The route's OpenAPI declaration (route-schema.ts); Fastify itself reads only params/query/body. */
    'x-idv'?: RouteDoc;
    /** Not in /openapi.json: the console's own HTML and assets. */
    hide?: boolean;
  }
}

export function routeSchema(doc: RouteDoc): FastifySchema {
  return {
    'x-idv': doc,
    ...(doc.params
      ? { params: { type: 'object', properties: doc.params, required: Object.keys(doc.params) } }
      : {}),
    ...(doc.query ? { querystring: { type: 'object', properties: doc.query } } : {}),
  };
}

/** A query parameter with a fixed set of values; empty is the same as absent. */
export function choice(values: readonly string[], description?: string): Schema {
  return {
    type: 'string',
    enum: [...values, ''],
    description: description ? `${description} Empty or absent: any.` : 'Empty or absent: any.',
  };
}

/** The `limit` and `starting_after` of a page. */
export function paging(
  max: number,
  fallback: number,
  cursor = 'The id of the last item of the previous page.',
) {
  return {
    limit: { type: 'string', description: `A whole number from 1 to ${max}; ${fallback} when absent.` },
    starting_after: { type: 'string', description: cursor },
  };
}
