/**
 * /openapi.json: an OpenAPI 3.1 document of every route this server registered, built from the routes'
 * own declarations (route-schema.ts) and the answer shapes (components.ts). POST /webhook is answered
 * before Fastify's router (raw-webhook.ts), so it is described here by hand.
 */
import type { FastifyInstance, RouteOptions } from 'fastify';
import { SESSION_COOKIE } from '../console-session.js';
import { COMPONENT_SCHEMAS } from './components.js';
import type { Answer, RouteDoc } from './route-schema.js';
import { ref } from './json-schema.js';

export interface CollectedRoute {
  method: string;
  url: string;
  doc: RouteDoc | undefined;
  hidden: boolean;
}

/** Records every route registered on `app` from now on (call it before registering any). */
export function collectRoutes(app: FastifyInstance): CollectedRoute[] {
  const routes: CollectedRoute[] = [];
  app.addHook('onRoute', (route: RouteOptions) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === 'HEAD') continue;
      routes.push({
        method,
        url: route.url,
        doc: route.schema?.['x-idv'],
        hidden: route.schema?.hide === true,
      });
    }
  });
  return routes;
}

const WEBHOOK: RouteDoc = {
  summary: "Receive a Stripe event (Stripe's signed delivery)",
  description:
    'Verified with the Stripe-Signature header over the exact bytes, stored durably, then answered. ' +
    'Event types other than identity.verification_session.* are stored as ignored and answered 200.',
  tag: 'service',
  answers: {
    200: { description: 'Stored (or a duplicate of a stored event).', schema: { type: 'object' } },
    400: 'Error',
    413: 'Error',
    503: 'Error',
  },
};

const TAGS = {
  app: { name: 'app', description: "The application's API under /v1: Bearer IDV_API_TOKEN." },
  admin: {
    name: 'admin',
    description: 'The operators\u2019 API under /admin/api: an operator token or console session.',
  },
  console: { name: 'console', description: 'Signing in to the console.' },
  service: { name: 'service', description: 'Webhooks, health and metrics.' },
};

function answerObject(answer: Answer): Record<string, unknown> {
  if (typeof answer === 'string') {
    return { description: answer, content: { 'application/json': { schema: ref(answer) } } };
  }
  return {
    description: answer.description,
    ...(answer.schema
      ? { content: { [answer.contentType ?? 'application/json']: { schema: answer.schema } } }
      : {}),
  };
}

function operation(route: CollectedRoute, doc: RouteDoc): Record<string, unknown> {
  const parameters = [
    ...Object.entries(doc.params ?? {}).map(([name, schema]) => ({
      name,
      in: 'path',
      required: true,
      schema,
    })),
    ...Object.entries(doc.query ?? {}).map(([name, schema]) => ({
      name,
      in: 'query',
      required: false,
      schema,
      ...(typeof schema.description === 'string' ? { description: schema.description } : {}),
    })),
  ];
  const errors = new Set(doc.errors ?? []);
  // 429: too many failed authentications from the address (README "Limits").
  if (doc.tag === 'app' || doc.tag === 'admin') for (const status of [401, 429]) errors.add(status);
  if (doc.tag === 'admin') errors.add(403);
  if (doc.body || doc.query || doc.params) errors.add(400);
  // A body that is not JSON (400, in the line above), over the limit, or of another type.
  if (doc.body) for (const status of [413, 415]) errors.add(status);
  const responses: Record<string, unknown> = {};
  for (const [status, answer] of Object.entries(doc.answers)) responses[status] = answerObject(answer);
  for (const status of [...errors].sort()) {
    responses[String(status)] ??= { description: 'An error from the catalogue.', ...answerObject('Error') };
  }
  const id = `${route.method.toLowerCase()}${route.url.replace(/[/:{}-]+(.)/g, (_m, c: string) => c.toUpperCase())}`;
  return {
    operationId: id.replace(/[^A-Za-z0-9]/g, ''),
    summary: doc.summary,
    ...(doc.description ? { description: doc.description } : {}),
    tags: [doc.tag],
    ...(parameters.length ? { parameters } : {}),
    ...(doc.body
      ? {
          requestBody: {
            required: doc.body.required,
            content: { 'application/json': { schema: doc.body.schema } },
          },
        }
      : {}),
    responses,
    ...(doc.tag === 'app' ? { security: [{ appToken: [] }] } : {}),
    ...(doc.tag === 'admin' ? { security: [{ operatorToken: [] }, { consoleSession: [] }] } : {}),
  };
}

/** `/v1/subjects/:ref` → `/v1/subjects/{ref}`. */
export function openApiPath(url: string): string {
  return url.replace(/:([A-Za-z_]+)/g, '{$1}');
}

export function openApiDocument(
  routes: readonly CollectedRoute[],
  options: { version: string; webhook: boolean },
): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const all = [...routes];
  if (options.webhook) all.push({ method: 'POST', url: '/webhook', doc: WEBHOOK, hidden: false });
  for (const route of all) {
    if (route.hidden) continue;
    const path = (paths[openApiPath(route.url)] ??= {});
    // Listed even without a declaration, marked, so the document shows every route and a test finds the gap.
    path[route.method.toLowerCase()] = route.doc
      ? operation(route, route.doc)
      : { summary: 'Not described yet', 'x-undocumented': true, responses: { default: { description: '' } } };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'idv-outcomes',
      version: options.version,
      description:
        'Stripe Identity verification outcomes: the app API, the operators\u2019 API and the webhook.',
    },
    tags: Object.values(TAGS),
    paths,
    components: {
      schemas: COMPONENT_SCHEMAS,
      securitySchemes: {
        appToken: { type: 'http', scheme: 'bearer', description: 'IDV_API_TOKEN' },
        operatorToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'An operator token (idv operator add) or IDV_ADMIN_TOKEN.',
        },
        consoleSession: {
          type: 'apiKey',
          in: 'cookie',
          name: SESSION_COOKIE,
          description:
            'The console\u2019s session cookie; state-changing requests also need the Idv-Csrf header.',
        },
      },
    },
  };
}
