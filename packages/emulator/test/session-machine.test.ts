import { describe, expect, it } from 'vitest';
import {
  SESSION_STATUSES,
  type EmulatedSession as SessionRecord,
  type KnownSessionStatus as SessionStatus,
} from '../src/model.js';
import { type SessionCommand, transition } from '../src/session-machine.js';
import { fakeVerifiedOutputs } from '../src/verified-outputs.js';

function session(status: SessionStatus, redacted = false): SessionRecord {
  return {
    id: 'vs_test',
    seq: 1,
    created: 1,
    type: 'document',
    status,
    client_reference_id: 'u1',
    client_secret: 'vs_test_secret_x',
    metadata: { user_id: 'u1' },
    options: {},
    provided_details: { email: 'jenny@example.com' },
    related_customer: null,
    related_customer_account: null,
    related_person: null,
    verification_flow: null,
    sensitive_outputs_readable: true,
    return_url: null,
    last_error: null,
    last_verification_report: null,
    redaction: redacted ? { status: 'processing' } : null,
    verified_outputs:
      status === 'verified'
        ? fakeVerifiedOutputs({ type: 'document', options: {}, provided_details: null })
        : null,
  };
}

const COMMANDS: Record<string, SessionCommand> = {
  update: { kind: 'update' },
  submit: { kind: 'submit' },
  complete_verified: {
    kind: 'complete_verified',
    reportId: 'vr_new',
    outputs: fakeVerifiedOutputs({ type: 'document', options: {}, provided_details: null }),
  },
  complete_failed: {
    kind: 'complete_failed',
    reportId: 'vr_new',
    error: { code: 'document_expired', reason: 'The document is expired.' },
  },
  cancel: { kind: 'cancel' },
  redact: { kind: 'redact' },
  finish_redaction: { kind: 'finish_redaction' },
};

/** Expected [resulting status, emitted event suffix] per (status, command); undefined = refused. */
const TABLE: Record<SessionStatus, Record<string, [SessionStatus, string | null] | undefined>> = {
  requires_input: {
    update: ['requires_input', null],
    submit: ['processing', 'processing'],
    complete_verified: undefined,
    complete_failed: undefined,
    cancel: ['canceled', 'canceled'],
    redact: ['canceled', 'canceled'],
    finish_redaction: undefined,
  },
  processing: {
    update: undefined,
    submit: undefined,
    complete_verified: ['verified', 'verified'],
    complete_failed: ['requires_input', 'requires_input'],
    cancel: undefined,
    redact: undefined,
    finish_redaction: undefined,
  },
  verified: {
    update: undefined,
    submit: undefined,
    complete_verified: undefined,
    complete_failed: ['requires_input', 'requires_input'],
    cancel: undefined,
    redact: ['verified', null],
    finish_redaction: undefined,
  },
  canceled: {
    update: undefined,
    submit: undefined,
    complete_verified: undefined,
    complete_failed: undefined,
    cancel: undefined,
    redact: undefined,
    finish_redaction: undefined,
  },
};

describe('session state machine (reference §2.1, §2.2)', () => {
  for (const status of SESSION_STATUSES) {
    for (const [name, command] of Object.entries(COMMANDS)) {
      const expected = TABLE[status][name];
      it(`${status} + ${name} → ${expected ? `${expected[0]}${expected[1] ? ` (emits ${expected[1]})` : ''}` : 'refused'}`, () => {
        const result = transition(session(status), command);
        if (!expected) {
          expect(result.ok).toBe(false);
          return;
        }
        expect(result).toMatchObject({ ok: true, session: { status: expected[0] } });
        if (result.ok)
          expect(result.emits).toBe(expected[1] && `identity.verification_session.${expected[1]}`);
      });
    }
  }

  it('a session whose redaction is in progress refuses everything but finishing it, and redact again is a no-op', () => {
    for (const status of ['verified', 'canceled'] as const) {
      for (const [name, command] of Object.entries(COMMANDS)) {
        const result = transition(session(status, true), command);
        if (name === 'finish_redaction')
          expect(result).toMatchObject({ ok: true, emits: 'identity.verification_session.redacted' });
        else if (name === 'redact') expect(result).toMatchObject({ ok: true, emits: null });
        else expect(result.ok, `${status} ${name}`).toBe(false);
      }
    }
  });

  it('finishing a redaction erases metadata and puts placeholders in personal data, keeping the status', () => {
    const result = transition(session('verified', true), COMMANDS.finish_redaction!);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.session.status).toBe('verified');
    expect(result.session.metadata).toEqual({});
    expect(result.session.redaction).toEqual({ status: 'redacted' });
    expect(result.session.provided_details).toEqual({ email: '[redacted]' });
    expect(result.session.verified_outputs).toMatchObject({
      first_name: '[redacted]',
      dob: { day: 1, month: 1, year: 1 },
    });
  });

  it('a failed submission records the report and the error; a verified one clears the error', () => {
    const failed = transition(session('processing'), COMMANDS.complete_failed!);
    expect(failed).toMatchObject({
      ok: true,
      session: { last_verification_report: 'vr_new', last_error: { code: 'document_expired' } },
    });
    const verified = transition(
      { ...session('processing'), last_error: { code: 'x', reason: 'y' } },
      COMMANDS.complete_verified!,
    );
    expect(verified).toMatchObject({
      ok: true,
      session: { last_verification_report: 'vr_new', last_error: null },
    });
  });
});
