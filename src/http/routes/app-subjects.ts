/**
 * App API: GET /v1/subjects/:ref — a user's verification state as DESIGN.md "Interfaces" specifies it;
 * DELETE /v1/subjects/:ref erases the user, GET /v1/subjects/:ref/export returns everything idv holds about
 * them (both audited). The admin API has the same routes for operators.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  isAccountId,
  splitSubjectKey,
  subjectKey,
  type Policy,
  type SubjectView,
} from '../../domain/index.js';
import { IdvError } from '../../errors.js';
import { eraseSubject, type Actor } from '../../outcomes/erase-subject.js';
import { erasedError, exportSubject } from '../../outcomes/export-subject.js';
import type { Store, ReviewRecord, SubjectDetail } from '../../store/store.js';
import type { StripeGateway } from '../../stripe/gateway.js';
import { readSubjectRef } from '../input-guard.js';
import { actorName, operatorOf } from '../operators.js';
import { routeSchema } from '../openapi/route-schema.js';
import { str } from '../openapi/json-schema.js';

const iso = (ms: number) => new Date(ms).toISOString();

type SubjectStore = Pick<
  Store,
  | 'getSubject'
  | 'getExpectation'
  | 'updateSubject'
  | 'listReviews'
  | 'listReactions'
  | 'listSessionEvents'
  | 'recordAudit'
  | 'listAudit'
>;

interface SubjectDeps {
  store: SubjectStore;
  policy: Policy;
  stripe: StripeGateway | undefined;
  clock: () => number;
}

type Request = FastifyRequest;

export async function appSubjectRoutes(app: FastifyInstance, deps: SubjectDeps) {
  subjectRoutes(app, '/v1/subjects/:ref', deps, () => ({ name: 'app', id: 'app' }));
}

/**
 * The same routes for operators: reading needs a viewer, erasing and exporting an admin (operators.ts); the
 * actor is the signed-in operator (the break-glass `admin` may name someone with Idv-Actor).
 */
export async function adminSubjectRoutes(app: FastifyInstance, deps: SubjectDeps) {
  subjectRoutes(app, '/admin/api/subjects/:ref', deps, (request) => ({
    name: actorName(request),
    id: operatorOf(request).id,
  }));
}

function subjectRoutes(
  app: FastifyInstance,
  path: string,
  deps: SubjectDeps,
  actorOf: (r: Request) => Actor,
) {
  const docs = subjectDocs(path.startsWith('/v1') ? 'app' : 'admin');
  app.get(path, { schema: docs.read }, async (request, reply) => {
    const answer = await readSubjectView(deps, readSubjectKey(request));
    reply.header('cache-control', 'no-store');
    return answer;
  });
  app.delete(path, { schema: docs.erase }, async (request) => {
    const ref = readSubjectKey(request);
    const result = await eraseSubject(deps, ref, actorOf(request));
    request.log.info({ subject: ref }, 'subject erased');
    return { ref: splitSubjectKey(ref).ref, erased: result.erased };
  });
  // Everything idv holds about a user: an admin's, among operators (the app API has no roles).
  app.get(`${path}/export`, { config: { role: 'admin' }, schema: docs.export }, async (request, reply) => {
    const ref = readSubjectKey(request);
    const document = await exportSubject(deps, ref, actorOf(request));
    return reply.header('cache-control', 'no-store').send(document);
  });
}

function subjectDocs(tag: 'app' | 'admin') {
  const params = { ref: str('The subject ref: your user id.') };
  const query = { account: str('A Connect account (acct_…): the subject of that account.') };
  return {
    read: routeSchema({
      summary: "A user's verification state",
      tag,
      params,
      query,
      answers: { 200: 'Subject' },
      errors: [410],
    }),
    erase: routeSchema({
      summary:
        'Erase a user: their personal data here, and the redaction of their sessions at Stripe (audited)',
      tag,
      params,
      query,
      answers: { 200: 'SubjectErased' },
      // 409 while a submission is processing; 502 when Stripe refuses the redaction.
      errors: [404, 409, 502],
    }),
    export: routeSchema({
      summary: 'Everything idv holds about a user (audited)',
      tag,
      params,
      query,
      answers: { 200: 'Export' },
      errors: [404, 410],
    }),
  };
}

/**
 * The answer of GET /v1/subjects/:ref, shared with library mode's `idv.getSubject(ref)` so both give the
 * documented view, never the store's records. Throws 410 `subject_erased` for an erased user.
 */
export async function readSubjectView(
  deps: { store: Pick<Store, 'getSubject'>; policy: Policy },
  key: string,
): Promise<SubjectAnswer> {
  const detail = await deps.store.getSubject(key);
  if (detail?.subject.erasedAt != null) throw erasedError(key, detail.subject.erasedAt);
  // A user idv has never heard of is simply unverified, with every attempt left.
  return detail ? presentSubject(detail) : unverified(key, deps.policy.maxAttempts);
}

/** The documented subject view (README "HTTP answers"), as the API and library mode give it. */
export type SubjectAnswer = ReturnType<typeof presentSubject>;

/** `:ref`, in the Connect account of `?account=acct_…` when given (domain/subject-key.ts). */
function readSubjectKey(request: Request): string {
  const ref = readSubjectRef(request.params);
  const { account } = (request.query ?? {}) as { account?: unknown };
  if (account === undefined || account === '') return ref;
  if (!isAccountId(account))
    throw new IdvError('invalid_request', 'account must be a Connect account id (acct_…).', {
      param: 'account',
    });
  return subjectKey(account, ref);
}

/**
 * The comparison with the app's expected data: results per field, never the values. A session opened with
 * expected data that Stripe has not reported on yet is `pending` too.
 */
export function presentMatch(view: SubjectView, expectations: SubjectDetail['expectations'] = []) {
  const waiting = expectations.some((e) => e.match.status === 'pending');
  const match =
    view.match ?? (waiting ? { status: 'pending', fields: null, checkedAt: null, reason: null } : null);
  if (!match) return null;
  return {
    status: match.status,
    fields: match.fields,
    checked_at: match.checkedAt === null ? null : iso(match.checkedAt),
    ...(match.reason ? { reason: match.reason } : {}),
  };
}

export function presentSubject(detail: SubjectDetail) {
  const { view } = detail.subject;
  const { account, ref } = splitSubjectKey(view.ref);
  return {
    ref,
    ...(account ? { account } : {}),
    state: view.state,
    attempts: view.attempts,
    match: presentMatch(view, detail.expectations),
    sessions: detail.sessions
      .flatMap((s) => (s.record ? [s.record] : []))
      .sort((a, b) => b.created - a.created || (a.id < b.id ? 1 : -1))
      .map((s) => ({ id: s.id, status: s.status, last_error: s.lastError, created: iso(s.created * 1000) })),
    review: detail.openReview ? presentReview(detail.openReview) : null,
    history: detail.history.map((h) => ({
      at: iso(h.at),
      from: h.from,
      to: h.to,
      event_id: h.eventId,
      reason: h.reason,
      decision: h.decision,
      ...(h.actor ? { actor: h.actor } : {}),
    })),
  };
}

export function presentReview(review: ReviewRecord) {
  return {
    id: review.id,
    subject: review.subjectRef,
    status: review.status,
    topic: review.topic,
    reason: review.reason,
    session_id: review.sessionId,
    opened_at: iso(review.openedAt),
    decided_at: review.decidedAt === null ? null : iso(review.decidedAt),
    note: review.note,
    actor: review.actor,
  };
}

function unverified(key: string, max: number): SubjectAnswer {
  const { account, ref } = splitSubjectKey(key);
  return {
    ref,
    ...(account ? { account } : {}),
    state: 'unverified',
    attempts: { used: 0, max, left: max },
    match: null,
    sessions: [],
    review: null,
    history: [],
  };
}
