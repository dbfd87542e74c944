/**
 * A stored event as an operator may read it without a reveal. For a verification session: the whole
 * payload, its shape and every key kept, with the value of every personal field replaced by MASK, and an
 * expanded report reduced to its id (its checks are on the review case; its file ids name the images the
 * audited reveal guards). Operators debug deliveries from it (which type, which session, which status and
 * error, which metadata keys the app set) without seeing who the person is. Any other type of event (stored
 * as ignored: a shared endpoint sends customers, charges, accounts…) is shown as its envelope only, since
 * idv does not know which of its fields are personal.
 */
import { isHandledType } from './envelope.js';
import { reportIdOnly } from './redact-payload.js';

export const MASK = '•••';

/** Fields of a session (or an expanded report) whose values identify a person, wherever they appear. */
const PERSONAL_KEYS = new Set([
  // The session (reference §1): what the user gave, what Stripe verified, who they are in Connect.
  'provided_details',
  'verified_outputs',
  'related_person',
  'client_reference_id',
  // Set by the app: may hold anything, so only its keys are shown.
  'metadata',
  // An expanded verification report (reference §3) and outputs anywhere below.
  'first_name',
  'last_name',
  'dob',
  'address',
  'email',
  'phone',
  'number',
  'id_number',
  'expiration_date',
  'issued_date',
  'unparsed_place_of_birth',
  'unparsed_sex',
  'sex',
]);

/** The payload with personal values masked, or null when it is not JSON (the receiver never stores such). */
export function maskPayload(payload: string): unknown {
  let event: unknown;
  try {
    event = JSON.parse(payload);
  } catch {
    return null;
  }
  if (typeof event !== 'object' || event === null) return null;
  const envelope = event as { type?: unknown; data?: { object?: Record<string, unknown> } };
  const object = envelope.data?.object;
  if (typeof envelope.type !== 'string' || !isHandledType(envelope.type) || !object) {
    return envelopeOnly(envelope as Record<string, unknown>);
  }
  reportIdOnly(object);
  return walk(event, false);
}

function envelopeOnly(event: Record<string, unknown>): Record<string, unknown> {
  const object = (event.data as { object?: Record<string, unknown> } | undefined)?.object;
  const kept: Record<string, unknown> = {};
  for (const key of ['id', 'object', 'type', 'api_version', 'created', 'livemode', 'account']) {
    if (key in event) kept[key] = event[key];
  }
  if (object) kept.data = { object: { id: object.id ?? null, object: object.object ?? null } };
  kept.masked = 'Only the envelope of an event idv does not handle is shown.';
  return kept;
}

function walk(value: unknown, masked: boolean): unknown {
  if (value === null) return null;
  if (Array.isArray(value)) return value.map((item) => walk(item, masked));
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value))
      out[key] = walk(inner, masked || PERSONAL_KEYS.has(key));
    return out;
  }
  return masked ? MASK : value;
}
