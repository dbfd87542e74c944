/**
 * The VerificationSession state machine, as a pure function (reference §2.1, §2.2).
 *
 *   requires_input ──submit──▶ processing ──complete_verified──▶ verified
 *        ▲  │                      │
 *        │  │                      └──complete_failed (last_error set)──▶ requires_input
 *        │  ├──cancel──▶ canceled                          (event: canceled)
 *        │  └──redact──▶ canceled + redaction processing   (event: canceled; §2.2 "redacting … will cancel it")
 *        └──complete_failed from verified: a Dashboard override (§2.1; which events fire is [unconfirmed])
 *   verified ──redact──▶ verified + redaction processing   (no event until redaction finishes)
 *   redaction processing ──finish_redaction──▶ redacted: metadata erased, personal data → placeholders
 *                                                          (event: redacted)
 *
 * Rules: `update` only in requires_input (§8); cancel only in requires_input (§2.2); redact only in
 * requires_input or verified, and not while processing (§2.2); a redacted object cannot be changed, and
 * redacting it again is a no-op. A canceled session is final: the emulator refuses to redact it because
 * Stripe does not list canceled as allowed (§2.2 [unconfirmed]).
 *
 * Each transition emits at most one event type; a test-helper `verify` from requires_input is the two
 * transitions submit + complete_verified, so `processing` precedes the outcome like on Stripe.
 */
import type { IdentityEventType } from './event-types.js';
import type { EmulatedLastError, EmulatedSession, VerifiedOutputs } from './model.js';
import { redactProvidedDetails, redactVerifiedOutputs } from './verified-outputs.js';

export type SessionCommand =
  | { kind: 'update' }
  | { kind: 'submit' }
  | { kind: 'complete_verified'; reportId: string; outputs: VerifiedOutputs }
  | { kind: 'complete_failed'; reportId: string; error: EmulatedLastError }
  | { kind: 'cancel' }
  | { kind: 'redact' }
  | { kind: 'finish_redaction' };

export type Transition =
  { ok: true; session: EmulatedSession; emits: IdentityEventType | null } | { ok: false; message: string };

export function transition(session: EmulatedSession, command: SessionCommand): Transition {
  const { status } = session;
  if (command.kind === 'finish_redaction') return finishRedaction(session);
  if (command.kind === 'redact' && session.redaction !== null) return { ok: true, session, emits: null };
  if (session.redaction !== null) {
    return {
      ok: false,
      message: `VerificationSession ${session.id} has been redacted and can no longer be modified.`,
    };
  }

  switch (command.kind) {
    case 'update':
      return status === 'requires_input' ? { ok: true, session, emits: null } : refuse(session, 'update');
    case 'submit':
      return status === 'requires_input'
        ? {
            ok: true,
            session: { ...session, status: 'processing', last_error: null },
            emits: 'identity.verification_session.processing',
          }
        : refuse(session, 'submit');
    case 'complete_verified':
      return status === 'processing'
        ? {
            ok: true,
            session: {
              ...session,
              status: 'verified',
              last_error: null,
              last_verification_report: command.reportId,
              verified_outputs: command.outputs,
            },
            emits: 'identity.verification_session.verified',
          }
        : refuse(session, 'verify');
    case 'complete_failed':
      return status === 'processing' || status === 'verified'
        ? {
            ok: true,
            session: {
              ...session,
              status: 'requires_input',
              last_error: command.error,
              last_verification_report: command.reportId,
              verified_outputs: null,
            },
            emits: 'identity.verification_session.requires_input',
          }
        : refuse(session, 'require input on');
    case 'cancel':
      return status === 'requires_input'
        ? {
            ok: true,
            session: { ...session, status: 'canceled' },
            emits: 'identity.verification_session.canceled',
          }
        : refuse(session, 'cancel');
    case 'redact':
      return redact(session);
  }
}

function finishRedaction(session: EmulatedSession): Transition {
  if (session.redaction?.status !== 'processing')
    return refuse(session, 'finish a redaction that was not requested');
  return {
    ok: true,
    emits: 'identity.verification_session.redacted',
    session: {
      ...session,
      metadata: {},
      provided_details: redactProvidedDetails(session.provided_details),
      verified_outputs: session.verified_outputs && redactVerifiedOutputs(session.verified_outputs),
      redaction: { status: 'redacted' },
    },
  };
}

function redact(session: EmulatedSession): Transition {
  if (session.status === 'requires_input') {
    return {
      ok: true,
      session: { ...session, status: 'canceled', redaction: { status: 'processing' } },
      emits: 'identity.verification_session.canceled',
    };
  }
  if (session.status === 'verified')
    return { ok: true, session: { ...session, redaction: { status: 'processing' } }, emits: null };
  return refuse(session, 'redact');
}

function refuse(session: EmulatedSession, action: string): Transition {
  return {
    ok: false,
    message: `You cannot ${action} this VerificationSession because it has a status of ${session.status}.`,
  };
}
