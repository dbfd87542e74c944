import { describe, expect, it } from 'vitest';
import {
  DEFAULT_POLICY,
  PENDING_MATCH,
  PolicyError,
  SessionRequestError,
  deriveSubject,
  parsePolicy,
  readExpected,
  type SessionMatch,
  type SessionRecord,
} from '../../src/domain/index.js';

const verifiedSession = (id: string): SessionRecord => ({
  id,
  subjectRef: 'u1',
  status: 'verified',
  lastError: null,
  lastReportId: 'vr_1',
  created: 100,
  livemode: false,
  redacted: false,
  redactionRequested: false,
  firstVerifiedAt: 110,
  applied: { eventId: 'evt_1', created: 110, rank: 3 },
  failures: [],
});

const done = (status: SessionMatch['status'], fields: Partial<SessionMatch['fields']> = {}, reason = null) =>
  ({
    status,
    fields: { name: 'match', dob: 'absent', min_age: 'absent', country: 'absent', ...fields },
    checkedAt: 5,
    reason,
  }) as SessionMatch;

function derive(match: SessionMatch | undefined, policy = DEFAULT_POLICY) {
  return deriveSubject({
    ref: 'u1',
    sessions: [verifiedSession('vs_1')],
    policy,
    manualDecision: null,
    ...(match ? { matches: { vs_1: match } } : {}),
  });
}

describe('what the comparison of verified outputs does to the subject', () => {
  it.each([
    ['no expected data: verified, no match in the view', undefined, 'verified', 'verified:vs_1'],
    ['pending: held in processing', PENDING_MATCH, 'processing', 'processing:vs_1:outputs'],
    ['matched: verified under the same cause key', done('matched'), 'verified', 'verified:vs_1'],
    ['not checked (no key): verified', done('not_checked'), 'verified', 'verified:vs_1'],
    [
      'mismatched: in review by default',
      done('mismatched', { name: 'mismatch' }),
      'in_review',
      'in_review:verified_data_mismatch:vs_1',
    ],
    [
      'unavailable: in review by default',
      done('unavailable', { dob: 'unavailable' }),
      'in_review',
      'in_review:verified_data_unavailable:vs_1',
    ],
  ] as const)('%s', (_name, match, state, key) => {
    const view = derive(match);
    expect(view.state).toBe(state);
    expect(view.cause.key).toBe(key);
    expect(view.match?.status).toBe(match?.status);
  });

  it('names the failing fields in the reason', () => {
    const view = derive(done('mismatched', { name: 'mismatch', min_age: 'mismatch' }));
    expect(view.cause.reason).toBe('verified_data_mismatch: name, min_age (session vs_1)');
    expect(view.cause.category).toBe('review');
  });

  it('follows the policy: reject or accept a mismatch, accept an unavailable field', () => {
    const reject = parsePolicy({ verified_outputs: { on_mismatch: 'reject' } });
    expect(derive(done('mismatched', { name: 'mismatch' }), reject).state).toBe('rejected');
    const accept = parsePolicy({ verified_outputs: { on_mismatch: 'accept', on_unavailable: 'accept' } });
    expect(derive(done('mismatched', { name: 'mismatch' }), accept).state).toBe('verified');
    expect(derive(done('unavailable', { dob: 'unavailable' }), accept).state).toBe('verified');
  });

  it('an operator decision still overrides the comparison', () => {
    const view = deriveSubject({
      ref: 'u1',
      sessions: [verifiedSession('vs_1')],
      policy: DEFAULT_POLICY,
      manualDecision: { decision: 'approve' },
      matches: { vs_1: done('mismatched', { name: 'mismatch' }) },
    });
    expect(view.state).toBe('verified');
  });

  it('refuses bad verified_outputs policy keys, naming them', () => {
    expect(() => parsePolicy({ verified_outputs: { on_mismatch: 'ignore' } })).toThrow(
      new PolicyError('verified_outputs.on_mismatch', 'expected one of review, reject, accept'),
    );
    expect(() => parsePolicy({ verified_outputs: { on_unavailable: 'reject' } })).toThrow(
      /verified_outputs.on_unavailable/,
    );
    expect(() => parsePolicy({ verified_outputs: { typo: 1 } })).toThrow(/verified_outputs.typo/);
  });
});

describe('the expected field of a session request', () => {
  it('reads every field and normalises the country', () => {
    expect(
      readExpected({
        first_name: 'Zoë',
        last_name: "O'Brien",
        dob: '2000-02-29',
        min_age: 18,
        country: 'de',
      }),
    ).toEqual({ first_name: 'Zoë', last_name: "O'Brien", dob: '2000-02-29', min_age: 18, country: 'DE' });
    expect(readExpected(undefined)).toBeUndefined();
    expect(readExpected({})).toBeUndefined();
  });

  it.each([
    [[], 'expected'],
    [{ nickname: 'x' }, 'expected.nickname'],
    [{ first_name: ' ' }, 'expected.first_name'],
    [{ last_name: 7 }, 'expected.last_name'],
    [{ dob: '2001-02-29' }, 'expected.dob'],
    [{ dob: '14.03.1990' }, 'expected.dob'],
    [{ min_age: 17.5 }, 'expected.min_age'],
    [{ min_age: 0 }, 'expected.min_age'],
    [{ country: 'DEU' }, 'expected.country'],
  ])('refuses %j naming %s', (input, param) => {
    try {
      readExpected(input);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(SessionRequestError);
      expect((err as SessionRequestError).param).toBe(param);
    }
  });
});
