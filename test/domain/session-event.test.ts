import { describe, expect, it } from 'vitest';
import {
  isPlaceholder,
  parseSessionEvent,
  resolveSubjectRef,
  splitSubjectKey,
  subjectKey,
} from '../../src/domain/index.js';
import { stripeEvent } from './fixtures.js';

const base = () =>
  stripeEvent({
    id: 'evt_1',
    type: 'requires_input',
    created: 1_767_225_600,
    session: 'vs_1',
    sessionCreated: 1_767_225_500,
    code: 'document_expired',
    reason: 'The document is expired.',
    report: 'vr_1',
    userId: 'user_42',
    clientRef: 'user_42',
  });

describe('parseSessionEvent', () => {
  it('extracts the snapshot of the reference Appendix A event', () => {
    expect(parseSessionEvent(base())).toEqual({
      eventId: 'evt_1',
      type: 'identity.verification_session.requires_input',
      created: 1_767_225_600,
      livemode: false,
      account: null,
      session: {
        id: 'vs_1',
        status: 'requires_input',
        lastError: { code: 'document_expired', reason: 'The document is expired.' },
        lastReportId: 'vr_1',
        created: 1_767_225_500,
        redacted: false,
        redactionStatus: null,
        livemode: false,
        metadataUserId: 'user_42',
        clientReferenceId: 'user_42',
        email: null,
      },
    });
  });

  it('reads last_verification_report as an id or as an expanded object', () => {
    const expanded = stripeEvent({
      id: 'e',
      type: 'verified',
      created: 1,
      session: 'vs_1',
      report: { id: 'vr_9' },
    });
    expect(parseSessionEvent(expanded)?.session.lastReportId).toBe('vr_9');
  });

  it('normalises last_error {code: null, reason: null} to null (stripe-mock shape on verified sessions)', () => {
    const ev = stripeEvent({ id: 'e', type: 'verified', created: 1, session: 'vs_1' });
    (ev['data'] as { object: Record<string, unknown> }).object['last_error'] = { code: null, reason: null };
    expect(parseSessionEvent(ev)?.session.lastError).toBeNull();
  });

  it('keeps an unknown (future) error code and status: Stripe enums are open', () => {
    const ev = stripeEvent({
      id: 'e',
      type: 'requires_input',
      created: 1,
      session: 'vs_1',
      code: 'brand_new_code',
      status: 'on_hold',
    });
    const parsed = parseSessionEvent(ev);
    expect(parsed?.session.lastError?.code).toBe('brand_new_code');
    expect(parsed?.session.status).toBe('on_hold');
  });

  it('marks redaction and drops placeholder ids and erased metadata', () => {
    const ev = stripeEvent({
      id: 'e',
      type: 'redacted',
      created: 1,
      session: 'vs_1',
      userId: 'u1',
      clientRef: 'u1',
    });
    const parsed = parseSessionEvent(ev);
    expect(parsed?.session.redacted).toBe(true);
    expect(parsed?.session.redactionStatus).toBe('redacted');
    expect(parsed?.session.metadataUserId).toBeNull();
    expect(parsed?.session.clientReferenceId).toBeNull();
  });

  it('reads provided_details.email when present and ignores a redacted one', () => {
    const ev = base();
    const object = (ev['data'] as { object: Record<string, unknown> }).object;
    object['provided_details'] = { email: 'a@example.com' };
    expect(parseSessionEvent(ev)?.session.email).toBe('a@example.com');
    object['provided_details'] = { email: '[redacted]' };
    expect(parseSessionEvent(ev)?.session.email).toBeNull();
  });

  it.each([
    ['null', null],
    ['a string', 'evt'],
    ['another event type', { ...base(), type: 'payment_intent.succeeded' }],
    ['a thin event', { ...base(), type: 'v1.identity.verification_session.verified' }],
    ['an event without id', { ...base(), id: undefined }],
    ['an event without created', { ...base(), created: 'yesterday' }],
    ['an event without data.object', { ...base(), data: {} }],
    [
      'an object that is not a session',
      {
        ...base(),
        data: { object: { id: 'vr_1', object: 'identity.verification_report', status: 'verified' } },
      },
    ],
    [
      'a session without status',
      { ...base(), data: { object: { id: 'vs_1', object: 'identity.verification_session' } } },
    ],
  ])('returns null for %s', (_name, payload) => {
    expect(parseSessionEvent(payload)).toBeNull();
  });
});

describe('resolveSubjectRef', () => {
  const parsed = (userId: string | null, clientRef: string | null) => {
    const ev = parseSessionEvent(
      stripeEvent({ id: 'e', type: 'created', created: 1, session: 'vs_1', userId, clientRef }),
    );
    if (ev === null) throw new Error('fixture did not parse');
    return ev;
  };

  it.each([
    ['idv mapping first', 'idv_user', 'meta_user', 'client_ref', 'idv_user'],
    ['then metadata.user_id', null, 'meta_user', 'client_ref', 'meta_user'],
    ['then client_reference_id', null, null, 'client_ref', 'client_ref'],
    ['else unlinked', null, null, null, null],
    ['a placeholder mapping is ignored', '[redacted]', 'meta_user', null, 'meta_user'],
    ['a placeholder client_reference_id is ignored', null, null, '[redacted]', null],
  ])('%s', (_name, stored, userId, clientRef, expected) => {
    expect(resolveSubjectRef(stored, parsed(userId, clientRef))).toBe(expected);
  });

  it('a Connect account event resolves to that account subject, apart from the platform one', () => {
    const connected = (account: unknown) =>
      parseSessionEvent({
        ...stripeEvent({
          id: 'e',
          type: 'created',
          created: 1,
          session: 'vs_1',
          userId: 'u1',
          clientRef: null,
        }),
        account,
      })!;
    const a = resolveSubjectRef(null, connected('acct_1A'));
    const b = resolveSubjectRef(null, connected('acct_2B'));
    expect(connected('acct_1A').account).toBe('acct_1A');
    expect(a).toBe(subjectKey('acct_1A', 'u1'));
    expect(new Set([a, b, resolveSubjectRef(null, connected(undefined))]).size).toBe(3);
    expect(resolveSubjectRef(null, connected(undefined))).toBe('u1');
    expect(splitSubjectKey(a!)).toEqual({ account: 'acct_1A', ref: 'u1' });
    expect(splitSubjectKey('u1')).toEqual({ account: null, ref: 'u1' });
    // Not an account id: treated as the platform's own event.
    expect(connected('not an account').account).toBeNull();
    // The stored mapping (idv made it with the account) wins, as for the platform.
    expect(resolveSubjectRef(a, connected('acct_2B'))).toBe(a);
  });

  it('recognises placeholders but not ordinary ids', () => {
    expect(isPlaceholder('[redacted]')).toBe(true);
    expect(isPlaceholder('  ')).toBe(true);
    expect(isPlaceholder('user_[1]')).toBe(false);
    expect(isPlaceholder('user_1')).toBe(false);
  });
});
