/**
 * /openapi.json against the real service, on both stores: every route of the server is described, and every
 * answer of a walk through the whole API — made with the typed client `idv-outcomes/client`, whose fetch is
 * recorded — has a documented status and matches its documented schema (ajv, JSON Schema 2020-12). Schema
 * validation keeps the catalogue's codes: `invalid_request` naming the `param`, and a role is refused (403)
 * before its input is looked at.
 */
import { startEmulator, type Emulator } from '@idv-outcomes/emulator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { randomBytes } from 'node:crypto';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIdvClient, IdvApiError, type IdvClient } from '../../src/client/index.js';
import { tokenHash } from '../../src/http/operators.js';
import { serviceLegs } from '../helpers/service-legs.js';
import { ADMIN_TOKEN, API_TOKEN, WEBHOOK_SECRET, type TestService } from '../helpers/service.js';
import { sessionEvent, signedRequest, uniqueId } from '../helpers/stripe-events.js';
import { waitFor } from '../helpers/wait.js';

// ajv-formats is CommonJS with a default export.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void;
const KEY = 'rk_test_idv_openapi';
const LEGS = await serviceLegs();

interface Operation {
  responses: Record<string, { content?: Record<string, unknown> }>;
  'x-undocumented'?: boolean;
  summary?: string;
}
type OpenApi = { openapi: string; paths: Record<string, Record<string, Operation>> };

interface Answer {
  method: string;
  path: string;
  status: number;
  contentType: string;
  body: unknown;
}

const pointer = (...parts: string[]) =>
  parts.map((p) => encodeURIComponent(p.replace(/~/g, '~0').replace(/\//g, '~1'))).join('/');

/** The documented template a concrete path belongs to (`/v1/subjects/u_1` → `/v1/subjects/{ref}`). */
function templateOf(doc: OpenApi, method: string, path: string): string | undefined {
  return Object.keys(doc.paths).find((template) => {
    const regex = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
    return regex.test(path) && doc.paths[template]![method] !== undefined;
  });
}

describe.each(LEGS)('the OpenAPI document on the $name store', ({ skipReason, start }) => {
  if (skipReason) {
    it.skip(`is skipped: ${skipReason}`, () => undefined);
    return;
  }
  let service: TestService;
  let emulator: Emulator;
  let stripe: Stripe;
  let doc: OpenApi;
  const answers: Answer[] = [];
  const viewerToken = `idvop_${randomBytes(32).toString('hex')}`;

  /** fetch, recording every answer for the check against the document. */
  const recorded: typeof fetch = async (input, init) => {
    const res = await fetch(input, init);
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const contentType = res.headers.get('content-type') ?? '';
    const copy = res.clone();
    const body = contentType.startsWith('application/json') ? await copy.json() : await copy.arrayBuffer();
    answers.push({
      method: (init?.method ?? 'GET').toLowerCase(),
      path: url.pathname,
      status: res.status,
      contentType,
      body,
    });
    return res;
  };
  const client = (operatorToken = ADMIN_TOKEN): IdvClient =>
    createIdvClient({ baseUrl: service.url, apiToken: API_TOKEN, operatorToken, fetch: recorded });
  const raw = (path: string, init: RequestInit = {}, token = ADMIN_TOKEN) =>
    recorded(`${service.url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, ...init.headers },
    });
  const refusal = async (call: Promise<unknown>) => {
    const err = await call.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(IdvApiError);
    return err as IdvApiError;
  };

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, host: '127.0.0.1' });
    stripe = new Stripe(KEY, { host: '127.0.0.1', port: emulator.port, protocol: 'http', telemetry: false });
    service = await start({ STRIPE_SECRET_KEY: KEY, STRIPE_API_BASE: emulator.url });
    await service.store.addOperator({
      id: 'op_viewer',
      name: 'Vic Viewer',
      role: 'viewer',
      tokenHash: tokenHash(viewerToken),
      createdAt: Date.now(),
    });
    doc = (await (await recorded(`${service.url}/openapi.json`)).json()) as OpenApi;
  });
  afterAll(async () => {
    await service?.stop();
    await emulator?.close();
  });

  it('describes every route the server has', () => {
    expect(doc.openapi).toBe('3.1.0');
    const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ route: `${method.toUpperCase()} ${path}`, op })),
    );
    expect(operations.filter((o) => o.op['x-undocumented']).map((o) => o.route)).toEqual([]);
    expect(operations.filter((o) => !o.op.summary).map((o) => o.route)).toEqual([]);
    for (const route of [
      'POST /webhook',
      'GET /v1/subjects/{ref}',
      'POST /admin/api/reviews/{id}/decision',
    ]) {
      expect(operations.map((o) => o.route)).toContain(route);
    }
    // The console's page and assets are not API.
    expect(Object.keys(doc.paths)).not.toContain('/admin');
  });

  it('refuses bad input by schema with the catalogue codes, and a role before its input', async () => {
    const admin = client();
    const badStatus = await refusal(admin.admin.reviews.list({ status: 'nope' as never }));
    expect([badStatus.status, badStatus.code, badStatus.param]).toEqual([400, 'invalid_request', 'status']);
    expect(badStatus.message).toBe(
      'status must be one of open, approved, rejected, superseded, retry_granted.',
    );
    // An empty parameter means absent, as it always did.
    for (const path of [
      '/admin/api/events?status=',
      '/admin/api/reviews?status=&owner=',
      '/admin/api/stats?interval=',
    ]) {
      expect((await raw(path)).status, path).toBe(200);
    }
    const twice = await raw('/admin/api/events?status=dead&status=failed');
    expect(await twice.json()).toMatchObject({
      error: { code: 'invalid_request', param: 'status', message: 'status must be given once.' },
    });
    const noNote = await raw('/admin/api/reviews/rev_x/decision', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ decision: 'approve' }),
    });
    expect([noNote.status, ((await noNote.json()) as { error: { param: string } }).error.param]).toEqual([
      400,
      'note',
    ]);
    const notObject = await raw('/admin/api/reactions/replay', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '[1]',
    });
    expect(await notObject.json()).toMatchObject({ error: { code: 'invalid_request' } });
    // A viewer may not decide: told so, whatever the body lacks.
    const viewer = await raw(
      '/admin/api/reviews/rev_x/decision',
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' },
      viewerToken,
    );
    expect(viewer.status).toBe(403);
  });

  it('answers a walk through the whole API as documented', async () => {
    const admin = client();
    const app = admin.subjects;
    for (const path of ['/healthz', '/readyz', '/metrics']) expect((await raw(path)).status).toBe(200);

    // Console sign-in.
    const signIn = await raw('/admin/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: viewerToken }),
    });
    expect(signIn.status).toBe(200);
    expect((await raw('/admin/session')).status).toBe(200);
    expect((await raw('/admin/session/sign-out', { method: 'POST' })).status).toBe(200);
    expect((await raw('/admin/session', { method: 'POST', body: '' })).status).toBe(401);

    // The app opens a session; the user fails a selfie check; idv hears of it.
    const ref = uniqueId('user');
    const opened = await app.openSession(ref, { email: `${ref}@example.test` });
    await stripe.rawRequest(
      'POST',
      `/v1/test_helpers/identity/verification_sessions/${opened.session_id}/require_input`,
      { last_error: { code: 'selfie_manipulated' } },
    );
    const failed = await stripe.identity.verificationSessions.retrieve(opened.session_id);
    const event = sessionEvent({
      type: 'identity.verification_session.requires_input',
      sessionId: opened.session_id,
      subject: ref,
      code: 'selfie_manipulated',
      reportId: failed.last_verification_report as string,
    });
    const { body, headers } = signedRequest(event, WEBHOOK_SECRET);
    expect((await recorded(`${service.url}/webhook`, { method: 'POST', headers, body })).status).toBe(200);
    const subject = await waitFor(async () => {
      const view = await app.get(ref);
      return view.review ? view : undefined;
    });
    expect(subject.state).toBe('in_review');
    const unknown = await refusal(app.get('\u0000'));
    expect(unknown.code).toBe('invalid_request');

    // Operators read and decide.
    const events = await admin.admin.events.list({ limit: 5 });
    await admin.admin.events.get(events.data[0]!.id);
    await admin.admin.events.replay((event as { id: string }).id);
    expect((await refusal(admin.admin.events.get('evt_none'))).status).toBe(404);
    const caseId = subject.review!.id;
    await admin.admin.reviews.list({ status: 'open' });
    await admin.admin.reviews.get(caseId);
    await admin.admin.reviews.claim(caseId);
    await admin.admin.reviews.release(caseId);
    const revealed = (await admin.admin.reviews.reveal(caseId)) as { files: { id: string }[] };
    const image = await admin.admin.reviews.file(caseId, revealed.files[0]!.id);
    expect(image.contentType).toBe('image/png');
    const viewerDecides = await refusal(client(viewerToken).admin.reviews.decide(caseId, 'approve', 'ok'));
    expect([viewerDecides.status, viewerDecides.code]).toEqual([403, 'forbidden']);
    const decided = await admin.admin.reviews.decide(caseId, 'retry', 'photo too dark');
    expect(decided.status).toBe('retry_granted');
    expect((await refusal(admin.admin.reviews.decide(caseId, 'approve', 'again'))).code).toBe('conflict');
    await admin.admin.subjects.list({ state: 'retry_required', q: ref.slice(-8) });
    await admin.admin.subjects.get(ref);
    await admin.admin.subjects.timeline(ref);
    const reactions = await admin.admin.reactions.list({ subject: ref });
    await refusal(admin.admin.reactions.replay(reactions.data[0]!.id));
    await admin.admin.reactions.replayDead();
    await admin.admin.audit({ subject: ref });
    await admin.admin.unlinkedSessions();
    await admin.admin.stats({ interval: 'day' });
    await admin.admin.subjects.export(ref);
    await app.export(ref);

    const other = uniqueId('user');
    await app.openSession(other);
    await app.erase(other);
    expect((await refusal(app.get(other))).status).toBe(410);
    await admin.admin.subjects.erase(ref);

    // Every answer: a documented status, and the documented shape.
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema(doc, 'idv');
    const seen = new Set<string>();
    const problems: string[] = [];
    for (const answer of answers) {
      const template = templateOf(doc, answer.method, answer.path);
      if (!template) {
        problems.push(`${answer.method} ${answer.path}: no such operation`);
        continue;
      }
      seen.add(`${answer.method} ${template}`);
      const responses = doc.paths[template]![answer.method]!.responses;
      const documented = responses[String(answer.status)];
      if (!documented) {
        problems.push(`${answer.method} ${template}: ${answer.status} is not documented`);
        continue;
      }
      if (!answer.contentType.startsWith('application/json')) continue;
      const ref = `idv#/${pointer('paths', template, answer.method, 'responses', String(answer.status), 'content', 'application/json', 'schema')}`;
      const validate = ajv.getSchema(ref);
      if (!validate) {
        problems.push(`${answer.method} ${template} ${answer.status}: no JSON schema`);
        continue;
      }
      if (!validate(answer.body)) {
        problems.push(`${answer.method} ${template} ${answer.status}: ${ajv.errorsText(validate.errors)}`);
      }
    }
    expect(problems).toEqual([]);
    // The walk reaches every operation, so a new route without a walk step fails here.
    const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method} ${path}`),
    );
    expect(operations.filter((o) => !seen.has(o))).toEqual([]);
  });
});
