/** GET /openapi.json: the OpenAPI 3.1 document of this server's routes (http/openapi/document.ts). */
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { openApiDocument, type CollectedRoute } from '../openapi/document.js';
import { routeSchema } from '../openapi/route-schema.js';

// src/http/routes and dist/http/routes both sit three folders below the package's root.
const VERSION = (
  JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

export async function openApiRoutes(
  app: FastifyInstance,
  deps: { routes: readonly CollectedRoute[]; webhook: boolean },
): Promise<void> {
  let document: Record<string, unknown> | undefined;
  app.get(
    '/openapi.json',
    {
      schema: routeSchema({
        summary: 'This document',
        tag: 'service',
        answers: { 200: { description: 'OpenAPI 3.1.', schema: { type: 'object' } } },
      }),
    },
    async () => {
      // Built on first use: by then every route of the server is registered.
      document ??= openApiDocument(deps.routes, { version: VERSION, webhook: deps.webhook });
      return document;
    },
  );
}
