/**
 * Turns a stored Stripe Event (JSON already parsed, signature already checked by the receiver) into
 * the few facts the domain needs, and decides which subject a session belongs to.
 *
 * Why a separate, defensive parser: the Event was rendered in the endpoint's API version, not the SDK's
 * (reference 4), enums are open (reference 0), redacted sessions carry `"[redacted]"` placeholders and
 * an erased `metadata` (reference 2.2), and `last_error` may be `{code: null, reason: null}`
 * (reference 3.1). Everything downstream works on the normalised {@link SessionEvent} and never sees
 * those shapes.
 */
import { IDENTITY_EVENT_TYPES, isOneOf } from './terms.js';
import type { IdentityEventType, LastError, SessionStatus } from './terms.js';
import { isAccountId, subjectKey } from './subject-key.js';

/** The session snapshot carried by one event (`data.object`), normalised. */
export interface SessionSnapshot {
  readonly id: string;
  readonly status: SessionStatus;
  readonly lastError: LastError | null;
  /** `last_verification_report` id (`vr_…`); the field may arrive as an id or an expanded object. */
  readonly lastReportId: string | null;
  /** Unix seconds. */
  readonly created: number;
  /** `redaction != null`: redaction was requested (it may still be running, reference 2.2). */
  readonly redacted: boolean;
  /**
   * `redaction.status` as sent (`processing`, `redacted`, `validated` [unconfirmed meaning], or another
   * value); null when not redacted.
   */
  readonly redactionStatus: string | null;
  readonly livemode: boolean;
  readonly metadataUserId: string | null;
  readonly clientReferenceId: string | null;
  /** `provided_details.email`, only present when expanded (reference 1). Personal data. */
  readonly email: string | null;
}

/** One Identity event, normalised. */
export interface SessionEvent {
  readonly eventId: string;
  readonly type: IdentityEventType;
  /** Event creation, Unix seconds. Ties are common (reference 4), so it is never the only order key. */
  readonly created: number;
  readonly livemode: boolean;
  /** The Connect account the event happened in (`account`); null for the platform's own (subject-key.ts). */
  readonly account: string | null;
  readonly session: SessionSnapshot;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Redaction replaces personal data with `"[redacted]"` "or a similar placeholder" (reference 2.2), so
 * any value wholly in square brackets, or blank, is treated as absent rather than as a real id.
 */
export function isPlaceholder(value: string): boolean {
  const trimmed = value.trim();
  return trimmed === '' || /^\[[^\]]*\]$/.test(trimmed);
}

/** A usable string, or null for anything else (wrong type, blank, placeholder). */
function meaningfulString(value: unknown): string | null {
  return typeof value === 'string' && !isPlaceholder(value) ? value : null;
}

function parseLastError(value: unknown): LastError | null {
  if (!isObject(value)) return null;
  const code = meaningfulString(value['code']);
  const reason = meaningfulString(value['reason']);
  // stripe-mock shows `{code: null, reason: null}` on verified sessions (reference 3.1): that is no error.
  if (code === null && reason === null) return null;
  return { code, reason };
}

function parseReportId(value: unknown): string | null {
  if (typeof value === 'string') return value === '' ? null : value;
  if (isObject(value) && typeof value['id'] === 'string' && value['id'] !== '') return value['id'];
  return null;
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/**
 * Extracts a {@link SessionEvent} from a parsed Stripe Event, or returns null when the payload is not
 * an Identity VerificationSession event (another type, a thin event, or a malformed body). The caller
 * stores such events as ignored.
 */
export function parseSessionEvent(payload: unknown): SessionEvent | null {
  if (!isObject(payload)) return null;
  const { id: eventId, type, created, data } = payload;
  if (typeof eventId !== 'string' || eventId === '') return null;
  if (!isOneOf(IDENTITY_EVENT_TYPES, type)) return null;
  if (!isFiniteNumber(created)) return null;
  if (!isObject(data) || !isObject(data['object'])) return null;
  const object = data['object'];
  if (object['object'] !== undefined && object['object'] !== 'identity.verification_session') return null;
  const sessionId = object['id'];
  const status = object['status'];
  if (typeof sessionId !== 'string' || sessionId === '') return null;
  if (typeof status !== 'string' || status === '') return null;

  const metadata = isObject(object['metadata']) ? object['metadata'] : {};
  const provided = isObject(object['provided_details']) ? object['provided_details'] : {};
  const redaction = isObject(object['redaction']) ? object['redaction'] : null;
  const livemode =
    typeof payload['livemode'] === 'boolean' ? payload['livemode'] : object['livemode'] === true;

  return {
    eventId,
    type,
    created,
    livemode,
    account: isAccountId(payload['account']) ? payload['account'] : null,
    session: {
      id: sessionId,
      status,
      lastError: parseLastError(object['last_error']),
      lastReportId: parseReportId(object['last_verification_report']),
      // `created` is not personal data and survives redaction; the event's time is a safe stand-in for
      // a body that lacks it, since it only orders sessions of one subject.
      created: isFiniteNumber(object['created']) ? object['created'] : created,
      redacted: object['redaction'] != null,
      redactionStatus:
        redaction !== null && typeof redaction['status'] === 'string' ? redaction['status'] : null,
      livemode: typeof object['livemode'] === 'boolean' ? object['livemode'] : livemode,
      metadataUserId: meaningfulString(metadata['user_id']),
      clientReferenceId: meaningfulString(object['client_reference_id']),
      email: meaningfulString(provided['email']),
    },
  };
}

/**
 * Which subject a session belongs to (DESIGN.md "Subject resolution"): idv's own mapping, recorded when
 * idv created the session or when an earlier event linked it, comes first because Stripe erases
 * `metadata` on redaction (reference 2.2) and whether `client_reference_id` survives is [unconfirmed];
 * then `metadata.user_id`; then `client_reference_id` (in the event's Connect account, subject-key.ts);
 * otherwise null, which the store keeps as "unlinked" for operators.
 */
export function resolveSubjectRef(storedRef: string | null, ev: SessionEvent): string | null {
  if (storedRef !== null && !isPlaceholder(storedRef)) return storedRef;
  const ref = ev.session.metadataUserId ?? ev.session.clientReferenceId ?? null;
  // A connected account's user is that account's subject, apart from the platform's user of the same ref.
  return ref === null ? null : subjectKey(ev.account, ref);
}
