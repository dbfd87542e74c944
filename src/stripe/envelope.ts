/**
 * The receiver reads only the envelope of an event (reference §4): enough to key, classify and store it.
 * Everything else is the worker's business, later, from the stored raw body.
 */
import { IdvError } from '../errors.js';
import { IDENTITY_EVENT_TYPES } from '../domain/terms.js';
import type { AcceptedMode } from '../config/config.js';

export interface EventEnvelope {
  id: string;
  type: string;
  created: number;
  livemode: boolean;
  objectId: string | null;
  /**
   * What the inbox keeps: the body as received, except that a session's `client_secret` and `url` are
   * removed — Stripe says not to store them (reference §1), and nothing downstream needs them (a fresh
   * url comes from retrieving the session).
   */
  payload: string;
}

const SESSION_SECRETS = ['client_secret', 'url'] as const;

export function parseEnvelope(raw: Buffer): EventEnvelope {
  let event: unknown;
  try {
    event = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new IdvError('body_not_json', 'The body is not JSON.');
  }
  if (typeof event !== 'object' || event === null)
    throw new IdvError('not_an_event', 'The body is not a Stripe event.');
  const e = event as Record<string, unknown>;
  if (e.object === 'v2.core.event') {
    // Thin notifications (reference §4.3) carry no snapshot; only classic /v1/webhook_endpoints are supported.
    throw new IdvError(
      'not_an_event',
      'Thin event notifications are not supported; register a snapshot webhook endpoint.',
    );
  }
  if (typeof e.id !== 'string' || !e.id.startsWith('evt_') || e.id.length > 255) {
    throw new IdvError('not_an_event', 'The body is not a Stripe event: "id" must be an evt_… string.');
  }
  if (typeof e.type !== 'string' || e.type === '' || e.type.length > 255) {
    throw new IdvError('not_an_event', 'The body is not a Stripe event: "type" is missing.');
  }
  if (typeof e.created !== 'number' || !Number.isInteger(e.created)) {
    throw new IdvError('not_an_event', 'The body is not a Stripe event: "created" must be Unix seconds.');
  }
  if (typeof e.livemode !== 'boolean') {
    throw new IdvError('not_an_event', 'The body is not a Stripe event: "livemode" must be a boolean.');
  }
  const data = e.data as { object?: { id?: unknown } } | undefined;
  const object = data?.object as Record<string, unknown> | undefined;
  const objectId = typeof object?.id === 'string' ? object.id : null;
  let payload: string | undefined;
  if (object && SESSION_SECRETS.some((key) => object[key] != null)) {
    for (const key of SESSION_SECRETS) if (object[key] != null) object[key] = null;
    payload = JSON.stringify(event);
  }
  return {
    id: e.id,
    type: e.type,
    created: e.created,
    livemode: e.livemode,
    objectId,
    payload: payload ?? raw.toString('utf8'),
  };
}

const HANDLED_TYPES: ReadonlySet<string> = new Set(IDENTITY_EVENT_TYPES);

/**
 * Events idv does not act on are still answered 2xx and stored as `ignored`, or Stripe would retry them for
 * three days (reference §6). The same goes for events of the other mode (test on a live endpoint).
 */
export function classifyEvent(
  envelope: EventEnvelope,
  acceptedMode: AcceptedMode,
): { status: 'pending' | 'ignored'; ignoredReason: string | null } {
  if (!HANDLED_TYPES.has(envelope.type)) return { status: 'ignored', ignoredReason: 'unhandled_type' };
  if (acceptedMode !== 'any' && envelope.livemode !== (acceptedMode === 'live')) {
    return { status: 'ignored', ignoredReason: 'livemode_mismatch' };
  }
  if (envelope.objectId === null) return { status: 'ignored', ignoredReason: 'no_session_object' };
  return { status: 'pending', ignoredReason: null };
}
