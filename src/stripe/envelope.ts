/**
 * The receiver reads only the envelope of an event (reference §4): enough to key, classify and store it.
 * Everything else is the worker's business, later, from the stored raw body.
 *
 * A correctly signed event that idv cannot process is still one Stripe retries for three days unless it
 * gets a 2xx (reference §6), so only a body that is no event at all is refused (400: no `evt_` id, or a
 * snapshot without `type`, `created` or `livemode`). Anything else is stored, as `ignored` with its reason
 * when it cannot be processed: thin notifications (reference §4.3), and bodies the worker or a database
 * could not take (see `payloadProblem`). The columns the store writes are normalised here, so no event
 * can make its insert — or the batch it shares — fail.
 */
import { isPlaceholder } from '../domain/index.js';
import { subjectRefProblem } from '../domain/subject-ref.js';
import { IDENTITY_EVENT_TYPES } from '../domain/terms.js';
import type { AcceptedMode } from '../config/config.js';
import { IdvError } from '../errors.js';
import { inspectJson, type JsonFindings } from '../json-limits.js';

export interface EventEnvelope {
  id: string;
  type: string;
  created: number;
  livemode: boolean;
  objectId: string | null;
  /**
   * What the inbox keeps: the body as received, except that a session's `client_secret` and `url` are
   * removed — Stripe says not to store them (reference §1), and nothing downstream needs them (a fresh
   * url comes from retrieving the session). A body nested too deeply to re-serialise is replaced by a
   * placeholder holding the envelope.
   */
  payload: string;
  /** Why the event cannot be processed as received (`thin_event`, `invalid_payload: …`), or null. */
  unprocessable: string | null;
}

type Json = Record<string, unknown>;

const SESSION_SECRETS = ['client_secret', 'url'] as const;
/** A Stripe event is about 6 levels deep (event → data → object → options → document → allowed_types). */
const MAX_DEPTH = 32;
const MAX_TEXT_LENGTH = 255;
/** Up to 9999-12-31: what a Date holds, and far from a BIGINT of milliseconds overflowing. */
const MAX_UNIX_SECONDS = 253_402_300_799;
/** Stripe ids: a prefix, `_`, letters and digits; printable ASCII covers every id format, and no more. */
const STRIPE_ID = /^[\x21-\x7e]{1,255}$/;

export function parseEnvelope(raw: Buffer): EventEnvelope {
  const text = raw.toString('utf8');
  let event: unknown;
  try {
    event = JSON.parse(text);
  } catch {
    throw new IdvError('body_not_json', 'The body is not JSON.');
  }
  if (!isObject(event)) throw new IdvError('not_an_event', 'The body is not a Stripe event.');
  const e = event;
  if (typeof e.id !== 'string' || !e.id.startsWith('evt_') || !STRIPE_ID.test(e.id)) {
    throw new IdvError('not_an_event', 'The body is not a Stripe event: "id" must be an evt_… string.');
  }
  const object = isObject(e.data) && isObject(e.data.object) ? e.data.object : undefined;
  // Thin notifications carry no snapshot (reference §4.3); neither does any event without `data.object`.
  const thin = e.object === 'v2.core.event' || object === undefined;
  if (!thin) requireSnapshotShape(e);

  const findings = inspectJson(event, MAX_DEPTH);
  const problem = payloadProblem(e, object, findings);
  const envelope = {
    id: e.id,
    type: typeof e.type === 'string' && e.type !== '' ? storable(e.type) : 'unknown',
    created: unixSeconds(e.created) ?? 0,
    livemode: e.livemode === true,
    objectId: storableId(object ? object.id : isObject(e.related_object) ? e.related_object.id : null),
  };
  return {
    ...envelope,
    payload: findings.tooDeep
      ? JSON.stringify({ ...envelope, idv_placeholder: `body not kept: ${problem}` })
      : withoutSessionSecrets(event, object, text),
    unprocessable: problem ? `invalid_payload: ${problem}` : thin ? 'thin_event' : null,
  };
}

function requireSnapshotShape(e: Json): void {
  if (typeof e.type !== 'string' || e.type === '' || e.type.length > MAX_TEXT_LENGTH) {
    throw new IdvError('not_an_event', 'The body is not a Stripe event: "type" is missing.');
  }
  if (typeof e.created !== 'number') {
    throw new IdvError('not_an_event', 'The body is not a Stripe event: "created" must be Unix seconds.');
  }
  if (typeof e.livemode !== 'boolean') {
    throw new IdvError('not_an_event', 'The body is not a Stripe event: "livemode" must be a boolean.');
  }
}

/**
 * Why the worker or a database could not take this event, or null. Beyond the generic limits, the
 * session fields the worker turns into keys and columns are checked: ids and codes end up in unique
 * indexes (which refuse entries over about 2.7 kB on PostgreSQL), times in BIGINTs and Dates, and the
 * subject candidates must be refs the API can serve.
 */
function payloadProblem(e: Json, object: Json | undefined, findings: JsonFindings): string | null {
  if (findings.tooDeep) return `nested deeper than ${MAX_DEPTH} levels`;
  if (findings.nul) return 'a string holds a NUL character';
  if (e.object !== 'v2.core.event' && unixSeconds(e.created) === null) {
    return '"created" is not a Unix time in seconds';
  }
  if (object) {
    if (object.id !== undefined && storableId(object.id) === null) return 'data.object.id is not an id';
    if (object.created !== undefined && object.created !== null && unixSeconds(object.created) === null) {
      return 'data.object.created is not a Unix time in seconds';
    }
    const report = object.last_verification_report;
    const lastError = isObject(object.last_error) ? object.last_error : {};
    const texts: [string, unknown][] = [
      ['status', object.status],
      ['last_error.code', lastError.code],
      ['last_verification_report', isObject(report) ? report.id : report],
    ];
    for (const [field, value] of texts) {
      if (typeof value === 'string' && value.length > MAX_TEXT_LENGTH)
        return `data.object.${field} is too long`;
    }
    const metadata = isObject(object.metadata) ? object.metadata : {};
    const refs: [string, unknown][] = [
      ['metadata.user_id', metadata.user_id],
      ['client_reference_id', object.client_reference_id],
    ];
    for (const [field, value] of refs) {
      if (typeof value !== 'string' || isPlaceholder(value)) continue;
      const why = subjectRefProblem(value);
      if (why) return `data.object.${field} ${why}`;
    }
  }
  if (findings.unsafeNumber) return 'a number is beyond ±2^53';
  return null;
}

function withoutSessionSecrets(event: Json, object: Json | undefined, text: string): string {
  if (!object || !SESSION_SECRETS.some((key) => object[key] != null)) return text;
  for (const key of SESSION_SECRETS) if (object[key] != null) object[key] = null;
  return JSON.stringify(event);
}

/** Unix seconds from a number, or from the ISO time thin events carry; null when neither fits. */
function unixSeconds(value: unknown): number | null {
  const seconds = typeof value === 'string' ? Math.floor(Date.parse(value) / 1000) : value;
  return typeof seconds === 'number' &&
    Number.isInteger(seconds) &&
    seconds >= 0 &&
    seconds <= MAX_UNIX_SECONDS
    ? seconds
    : null;
}

function storableId(value: unknown): string | null {
  return typeof value === 'string' && STRIPE_ID.test(value) ? value : null;
}

/** Text for a column: no U+0000 (PostgreSQL refuses it) and bounded. */
function storable(value: string): string {
  return value.replaceAll('\u0000', '\ufffd').slice(0, MAX_TEXT_LENGTH);
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const HANDLED_TYPES: ReadonlySet<string> = new Set(IDENTITY_EVENT_TYPES);

/** One of the six Identity session event types idv acts on; any other type is stored as ignored. */
export function isHandledType(type: string): boolean {
  return HANDLED_TYPES.has(type);
}

/**
 * Events idv does not act on are still answered 2xx and stored as `ignored`, or Stripe would retry them for
 * three days (reference §6). The same goes for events of the other mode (test on a live endpoint), and for
 * events that cannot be processed as received.
 */
export function classifyEvent(
  envelope: EventEnvelope,
  acceptedMode: AcceptedMode,
): { status: 'pending' | 'ignored'; ignoredReason: string | null } {
  if (envelope.unprocessable) return { status: 'ignored', ignoredReason: envelope.unprocessable };
  if (!isHandledType(envelope.type)) return { status: 'ignored', ignoredReason: 'unhandled_type' };
  if (acceptedMode !== 'any' && envelope.livemode !== (acceptedMode === 'live')) {
    return { status: 'ignored', ignoredReason: 'livemode_mismatch' };
  }
  if (envelope.objectId === null) return { status: 'ignored', ignoredReason: 'no_session_object' };
  return { status: 'pending', ignoredReason: null };
}
