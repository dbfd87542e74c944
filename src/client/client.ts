/**
 * A typed client of idv's HTTP API for the application's backend and for operators' scripts:
 * `import { createIdvClient } from 'idv-outcomes/client'`, or `require` it on the Node versions the
 * package's `engines` names (≥ 20.19 loads ES modules through require). It needs nothing but `fetch`,
 * imports nothing of the service, and throws IdvApiError with the catalogue's stable `code` for any error
 * answer, so callers branch on `err.code === 'already_verified'`, never on a message.
 */
import { transport, type IdvClientOptions, type Transport } from './transport.js';
import type {
  AuditEntry,
  Case,
  CaseDetail,
  Decision,
  OpenSessionRequest,
  Page,
  Paging,
  Reaction,
  SessionOpened,
  StoredEvent,
  StoredEventDetail,
  Subject,
  SubjectSummary,
  TimelineEntry,
  UnlinkedSession,
} from './types.js';

const seg = encodeURIComponent;

interface InAccount {
  /** A Connect account (acct_…): the subject of that account. */
  account?: string;
}

/** The calls on one subject, under /v1 (app) or /admin/api (operator). */
function subjectCalls(t: Transport, kind: 'app' | 'operator', base: string) {
  const path = (ref: string) => `${base}/${seg(ref)}`;
  return {
    get: (ref: string, opts: InAccount = {}) => t.json<Subject>(kind, 'GET', path(ref), opts),
    erase: (ref: string, opts: InAccount = {}) =>
      t.json<{ ref: string; erased: boolean }>(kind, 'DELETE', path(ref), opts),
    export: (ref: string, opts: InAccount = {}) =>
      t.json<Record<string, unknown>>(kind, 'GET', `${path(ref)}/export`, opts),
  };
}

function reviewCalls(t: Transport) {
  const path = (id: string) => `/admin/api/reviews/${seg(id)}`;
  return {
    list: (q: Paging & { status?: Case['status']; owner?: 'me' | 'none' } = {}) =>
      t.json<Page<Case>>('operator', 'GET', '/admin/api/reviews', q),
    get: (id: string) => t.json<CaseDetail>('operator', 'GET', path(id)),
    /** Needs a note: why, for the record. `actor` names who decided, for the break-glass operator only. */
    decide: (id: string, decision: Decision, note: string, opts: { actor?: string } = {}) =>
      t.json<Case>('operator', 'POST', `${path(id)}/decision`, {}, { decision, note, ...opts }),
    claim: (id: string) => t.json<Case>('operator', 'POST', `${path(id)}/claim`),
    release: (id: string) => t.json<Case>('operator', 'POST', `${path(id)}/release`),
    /** The personal data, live from Stripe; audited. */
    reveal: (id: string) => t.json<Record<string, unknown>>('operator', 'POST', `${path(id)}/reveal`),
    /** One document or selfie image (`files[].id` of the reveal), as bytes. */
    file: async (id: string, file: string) => {
      const res = await t.send('operator', 'GET', `${path(id)}/files/${seg(file)}`);
      return { contentType: res.headers.get('content-type'), bytes: new Uint8Array(await res.arrayBuffer()) };
    },
  };
}

interface SubjectFilters extends Paging {
  state?: Subject['state'];
  code?: string;
  ever_code?: string;
  q?: string;
  from?: string;
  to?: string;
  tz?: string;
  submitted?: boolean;
}

function adminCalls(t: Transport) {
  return {
    events: {
      list: (q: Paging & { status?: StoredEvent['status'] } = {}) =>
        t.json<Page<StoredEvent>>('operator', 'GET', '/admin/api/events', q),
      get: (id: string) => t.json<StoredEventDetail>('operator', 'GET', `/admin/api/events/${seg(id)}`),
      replay: (id: string) =>
        t.json<{ id: string; status: 'pending' }>('operator', 'POST', `/admin/api/events/${seg(id)}/replay`),
    },
    reviews: reviewCalls(t),
    subjects: {
      ...subjectCalls(t, 'operator', '/admin/api/subjects'),
      list: (q: SubjectFilters = {}) =>
        t.json<Page<SubjectSummary>>('operator', 'GET', '/admin/api/subjects', q),
      timeline: (ref: string) =>
        t.json<{ ref: string; data: TimelineEntry[] }>(
          'operator',
          'GET',
          `/admin/api/subjects/${seg(ref)}/timeline`,
        ),
    },
    reactions: {
      list: (q: Paging & { status?: Reaction['status']; subject?: string } = {}) =>
        t.json<Page<Reaction>>('operator', 'GET', '/admin/api/reactions', q),
      replay: (id: number) =>
        t.json<{ id: number; status: 'pending' }>('operator', 'POST', `/admin/api/reactions/${id}/replay`),
      replayDead: () =>
        t.json<{ replayed: number }>(
          'operator',
          'POST',
          '/admin/api/reactions/replay',
          {},
          { status: 'dead' },
        ),
    },
    audit: (q: Paging & { subject?: string; actor?: string } = {}) =>
      t.json<Page<AuditEntry>>('operator', 'GET', '/admin/api/audit', q),
    unlinkedSessions: (q: { limit?: number } = {}) =>
      t.json<Page<UnlinkedSession>>('operator', 'GET', '/admin/api/sessions/unlinked', q),
    stats: (q: { from?: string; to?: string; interval?: 'hour' | 'day' | 'week'; tz?: string } = {}) =>
      t.json<Record<string, unknown>>('operator', 'GET', '/admin/api/stats', q),
  };
}

export function createIdvClient(options: IdvClientOptions) {
  const t = transport(options);
  return {
    /** The app API (/v1, IDV_API_TOKEN). */
    subjects: {
      ...subjectCalls(t, 'app', '/v1/subjects'),
      /** The open session again, or a new one: hand `client_secret` or `url` to the user. */
      openSession: (ref: string, request: OpenSessionRequest = {}) =>
        t.json<SessionOpened>('app', 'POST', `/v1/subjects/${seg(ref)}/sessions`, {}, request),
    },
    /** The operators' API (/admin/api, an operator token); what a role may call is the service's to say. */
    admin: adminCalls(t),
  };
}

export type IdvClient = ReturnType<typeof createIdvClient>;
