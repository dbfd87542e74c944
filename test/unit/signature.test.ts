import { describe, expect, it } from 'vitest';
import { SignatureError, signPayload, verifyStripeSignature } from '../../src/stripe/signature.js';
import { stripe } from '../helpers/stripe-events.js';

const secret = 'whsec_unit_test_secret';
const payload = '{\n  "id": "evt_1",\n  "object": "event"\n}';
const now = 1_767_225_600;

function reasonOf(
  header: string | string[] | undefined,
  body = payload,
  secrets = [secret],
  nowSec = now,
): string {
  try {
    verifyStripeSignature({ rawBody: Buffer.from(body), header, secrets, toleranceSec: 300, nowSec });
    return 'ok';
  } catch (err) {
    expect(err).toBeInstanceOf(SignatureError);
    return (err as SignatureError).reason;
  }
}

describe('verifyStripeSignature', () => {
  it('produces exactly the header stripe-node produces', () => {
    expect(signPayload(payload, secret, now)).toBe(
      stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp: now }),
    );
  });

  it('accepts what stripe-node accepts, including a signature exactly at the tolerance edge', () => {
    const header = signPayload(payload, secret, now - 300);
    expect(reasonOf(header)).toBe('ok');
    expect(() =>
      stripe.webhooks.constructEvent(payload, header, secret, 300, undefined, now * 1000),
    ).not.toThrow();
  });

  it('names the failed check for each kind of bad header', () => {
    expect(reasonOf(undefined)).toBe('header_missing');
    expect(reasonOf(['t=1,v1=a', 't=2'])).toBe('header_malformed');
    expect(reasonOf('v1=abc')).toBe('header_malformed');
    expect(reasonOf(`t=${now},v1=`)).toBe('no_v1_signature');
    expect(reasonOf(`t=${now},v0=${'a'.repeat(64)}`)).toBe('no_v1_signature');
    expect(reasonOf(signPayload(payload, 'whsec_other', now))).toBe('no_matching_signature');
    expect(reasonOf(signPayload(payload, secret, now - 301))).toBe('timestamp_too_old');
    expect(reasonOf(signPayload(payload, secret, now + 301))).toBe('timestamp_in_future');
  });

  it('checks the raw bytes: re-serialised JSON no longer matches', () => {
    const header = signPayload(payload, secret, now);
    expect(reasonOf(header, JSON.stringify(JSON.parse(payload)))).toBe('no_matching_signature');
  });

  it('matches any configured secret against any v1 in the header', () => {
    const header = `${signPayload(payload, 'whsec_old', now)},v1=${signPayload(payload, 'whsec_new', now).split('v1=')[1]}`;
    expect(reasonOf(header, payload, ['whsec_new'])).toBe('ok');
    expect(reasonOf(header, payload, ['whsec_unrelated', 'whsec_old'])).toBe('ok');
  });
});
