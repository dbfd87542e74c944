/**
 * Session operations: each applies the pure state machine (session-machine.ts), stores the result and
 * turns the transition's event type into an Event snapshot that is stored for `/v1/events` and delivered.
 * The API routes, the test helpers and the hosted page all go through here, so they behave the same.
 *
 * Per session, event `created` strictly increases (processing, then the outcome one second later at the
 * latest) so a consumer ordering by `created` sees submissions in order, as the brief asks; real Stripe only
 * guarantees seconds (reference §4).
 */
import { resourceMissing, unexpectedState } from './api-error.js';
import { unixSeconds } from './clock.js';
import type { Deliverer } from './delivery.js';
import { DEFAULT_FAILURE_CODE, reasonFor } from './error-codes.js';
import { buildEvent } from './event-builder.js';
import type { IdentityEventType } from './event-types.js';
import { newClientSecret, newId } from './ids.js';
import {
  AUTOMATIC_REQUEST,
  type EmulatedLastError,
  type RequestInfo,
  type EmulatedSession,
  type VerifiedOutputs,
} from './model.js';
import { type SessionCommand, transition } from './session-machine.js';
import { renderSession } from './session-render.js';
import type { EmulatorState } from './state.js';
import type { TimerSet } from './timers.js';
import { fakeVerifiedOutputs } from './verified-outputs.js';

export type NewSessionInput = Pick<
  EmulatedSession,
  | 'type'
  | 'client_reference_id'
  | 'metadata'
  | 'options'
  | 'provided_details'
  | 'related_customer'
  | 'related_customer_account'
  | 'related_person'
  | 'verification_flow'
  | 'return_url'
>;

export interface SessionServiceDeps {
  state: EmulatorState;
  clock: () => number;
  timers: TimerSet;
  deliverer: Deliverer;
  baseUrl: () => string;
  /** How long a redaction stays `processing` before it finishes (Stripe: up to four days, §2.2). */
  redactionDelayMs: number;
}

export class SessionService {
  private readonly lastEventCreated = new Map<string, number>();

  constructor(private readonly deps: SessionServiceDeps) {}

  get(id: string): EmulatedSession {
    const session = this.deps.state.sessions.get(id);
    if (!session) throw resourceMissing('verification_session', id);
    return session;
  }

  create(input: NewSessionInput, request: RequestInfo): EmulatedSession {
    const { state, clock } = this.deps;
    const id = newId('vs');
    const session: EmulatedSession = {
      ...input,
      id,
      seq: state.nextSeq(),
      created: unixSeconds(clock),
      status: 'requires_input',
      client_secret: newClientSecret(id),
      last_error: null,
      last_verification_report: null,
      redaction: null,
      verified_outputs: null,
      sensitive_outputs_readable: true,
    };
    state.sessions.set(id, session);
    this.emit('identity.verification_session.created', session, request);
    return session;
  }

  /** `apply` refuses anything but requires_input, so only a valid patch is written. */
  update(
    id: string,
    patch: Partial<Pick<EmulatedSession, 'metadata' | 'options' | 'provided_details' | 'type'>>,
    request: RequestInfo,
  ): EmulatedSession {
    this.apply(this.get(id), { kind: 'update' }, request);
    const updated = { ...this.get(id), ...patch };
    this.deps.state.sessions.set(id, updated);
    return updated;
  }

  cancel(id: string, request: RequestInfo): EmulatedSession {
    return this.apply(this.get(id), { kind: 'cancel' }, request);
  }

  redact(id: string, request: RequestInfo): EmulatedSession {
    const before = this.get(id);
    const after = this.apply(before, { kind: 'redact' }, request);
    if (before.redaction === null && after.redaction?.status === 'processing') {
      this.deps.timers.schedule(() => this.finishRedaction(id), this.deps.redactionDelayMs);
    }
    return after;
  }

  /** The user submitted: requires_input → processing. */
  submit(id: string, request: RequestInfo): EmulatedSession {
    return this.apply(this.get(id), { kind: 'submit' }, request);
  }

  /**
   * A submission whose checks all pass. From requires_input it is submitted first (processing event).
   * `reported` replaces the default persona's fields, so a mismatch with what the app expected can be
   * produced offline.
   */
  verify(id: string, request: RequestInfo, reported: Partial<VerifiedOutputs> = {}): EmulatedSession {
    const session = this.submitIfWaiting(id, request);
    const outputs = { ...fakeVerifiedOutputs(session), ...reported };
    this.assertAllowed(session, { kind: 'complete_verified', reportId: '', outputs });
    const reportId = this.newReport(session, 'verified', null);
    return this.apply(session, { kind: 'complete_verified', reportId, outputs }, request);
  }

  /** The 48-hour window has passed: sensitive outputs can no longer be expanded (reference §1). */
  expireSensitiveOutputs(id: string): EmulatedSession {
    const session = { ...this.get(id), sensitive_outputs_readable: false };
    this.deps.state.sessions.set(id, session);
    return session;
  }

  /**
   * A submission that fails with `code`. From requires_input it is submitted first; from verified it is an
   * operator override (reference §2.1) and goes straight to requires_input.
   */
  requireInput(
    id: string,
    error: { code?: string | undefined; reason?: string | undefined },
    request: RequestInfo,
  ): EmulatedSession {
    const session = this.submitIfWaiting(id, request);
    const code = error.code ?? DEFAULT_FAILURE_CODE;
    const lastError: EmulatedLastError = { code, reason: error.reason ?? reasonFor(code) };
    this.assertAllowed(session, { kind: 'complete_failed', reportId: '', error: lastError });
    const reportId = this.newReport(session, 'unverified', lastError);
    return this.apply(session, { kind: 'complete_failed', reportId, error: lastError }, request);
  }

  private submitIfWaiting(id: string, request: RequestInfo): EmulatedSession {
    const session = this.get(id);
    return session.status === 'requires_input' && session.redaction === null
      ? this.submit(id, request)
      : session;
  }

  /** Checked before a report is created, so a refused call leaves no orphan report behind. */
  private assertAllowed(session: EmulatedSession, command: SessionCommand): void {
    const probe = transition(session, command);
    if (!probe.ok) throw unexpectedState(probe.message);
  }

  private finishRedaction(id: string): void {
    const session = this.deps.state.sessions.get(id);
    if (!session) return;
    const result = transition(session, { kind: 'finish_redaction' });
    if (!result.ok) return;
    this.deps.state.sessions.set(id, result.session);
    // Stripe also redacts the session's earlier Events (reference §2.2): `metadata` is gone from them too.
    for (const record of this.deps.state.eventsForSession(id)) record.event.data.object.metadata = {};
    // …and its VerificationReports (§2.2).
    for (const report of this.deps.state.reports.values())
      if (report.session_id === id) this.deps.state.reports.set(report.id, { ...report, redacted: true });
    if (result.emits) this.emit(result.emits, result.session, AUTOMATIC_REQUEST);
  }

  private apply(session: EmulatedSession, command: SessionCommand, request: RequestInfo): EmulatedSession {
    const result = transition(session, command);
    if (!result.ok) throw unexpectedState(result.message);
    this.deps.state.sessions.set(session.id, result.session);
    if (result.emits) this.emit(result.emits, result.session, request);
    return result.session;
  }

  private newReport(
    session: EmulatedSession,
    outcome: 'verified' | 'unverified',
    error: EmulatedLastError | null,
  ): string {
    const { state } = this.deps;
    const id = newId('vr');
    state.reports.set(id, {
      id,
      seq: state.nextSeq(),
      created: this.nextEventCreated(session.id),
      session_id: session.id,
      client_reference_id: session.client_reference_id,
      type: session.type,
      options: structuredClone(session.options),
      outcome,
      error,
      redacted: false,
    });
    return id;
  }

  private nextEventCreated(sessionId: string): number {
    const last = this.lastEventCreated.get(sessionId);
    const now = unixSeconds(this.deps.clock);
    return last === undefined ? now : Math.max(now, last + 1);
  }

  private emit(type: IdentityEventType, session: EmulatedSession, request: RequestInfo): void {
    const { state, deliverer, baseUrl } = this.deps;
    const created =
      type === 'identity.verification_session.created' ? session.created : this.nextEventCreated(session.id);
    this.lastEventCreated.set(session.id, created);
    // Event payloads never carry verified_outputs or other expansions (reference §2.3).
    const object = renderSession(session, {
      baseUrl: baseUrl(),
      expand: [],
      keyKind: 'secret',
      findReport: () => undefined,
    });
    const record = {
      seq: state.nextSeq(),
      event: buildEvent({ type, object, createdSec: created, request }),
    };
    state.events.set(record.event.id, record);
    deliverer.publish(record);
  }
}
