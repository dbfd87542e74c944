import { describe, expect, it } from 'vitest';
import {
  DEFAULT_POLICY,
  KNOWN_ERROR_CODES,
  PolicyError,
  categorize,
  parsePolicy,
} from '../../src/domain/index.js';

describe('DEFAULT_POLICY', () => {
  // DESIGN.md "Error codes", written out so a change to the defaults must change this table too.
  it.each([
    ['document_expired', 'retry'],
    ['document_type_not_supported', 'retry'],
    ['document_unverified_other', 'retry'],
    ['selfie_document_missing_photo', 'retry'],
    ['selfie_face_mismatch', 'retry'],
    ['selfie_unverified_other', 'retry'],
    ['id_number_insufficient_document_data', 'retry'],
    ['id_number_unverified_other', 'retry'],
    ['id_number_mismatch', 'retry'],
    ['abandoned', 'retry'],
    ['device_not_supported', 'retry'],
    ['email_unverified_other', 'retry'],
    ['email_verification_declined', 'retry'],
    ['phone_unverified_other', 'retry'],
    ['phone_verification_declined', 'retry'],
    ['consent_declined', 'alternative'],
    ['country_not_supported', 'alternative'],
    ['address_mismatch', 'alternative'],
    ['selfie_manipulated', 'review'],
    ['under_supported_age', 'reject'],
    ['some_future_code', 'review'],
    ['constructor', 'review'],
    ['__proto__', 'review'],
  ])('categorises %s as %s', (code, category) => {
    expect(categorize(DEFAULT_POLICY, code)).toBe(category);
  });

  it('has a default for each of the 20 known codes', () => {
    expect(KNOWN_ERROR_CODES).toHaveLength(20);
    for (const code of KNOWN_ERROR_CODES) expect(Object.hasOwn(DEFAULT_POLICY.categories, code)).toBe(true);
  });

  it('allows 3 attempts and sends exhausted subjects to review', () => {
    expect(DEFAULT_POLICY.maxAttempts).toBe(3);
    expect(DEFAULT_POLICY.exhausted).toBe('review');
  });
});

describe('parsePolicy', () => {
  it('returns the defaults for an empty file', () => {
    expect(parsePolicy(undefined)).toBe(DEFAULT_POLICY);
    expect(parsePolicy(null)).toBe(DEFAULT_POLICY);
    expect(parsePolicy({})).toEqual(DEFAULT_POLICY);
  });

  it('merges category overrides onto the defaults, including codes Stripe may add', () => {
    const policy = parsePolicy({
      max_attempts: 5,
      categories: { document_expired: 'reject', brand_new_code: 'retry' },
      exhausted: 'alternative',
    });
    expect(policy.maxAttempts).toBe(5);
    expect(policy.exhausted).toBe('alternative');
    expect(categorize(policy, 'document_expired')).toBe('reject');
    expect(categorize(policy, 'brand_new_code')).toBe('retry');
    expect(categorize(policy, 'selfie_manipulated')).toBe('review');
  });

  it('returns a frozen policy', () => {
    const policy = parsePolicy({ categories: { document_expired: 'reject' } });
    expect(Object.isFrozen(policy)).toBe(true);
    expect(Object.isFrozen(policy.categories)).toBe(true);
    expect(Object.isFrozen(DEFAULT_POLICY.categories)).toBe(true);
  });

  it.each([
    [
      { categories: { document_expired: 'retyr' } },
      'categories.document_expired: expected one of retry, alternative, review, reject',
    ],
    [{ categories: { 'Bad Code': 'retry' } }, 'categories.Bad Code: expected an error code'],
    [{ categories: ['retry'] }, 'categories: expected a map of error code to category'],
    [{ max_attempts: 0 }, 'max_attempts: expected an integer from 1 to 20'],
    [{ max_attempts: 21 }, 'max_attempts: expected an integer from 1 to 20'],
    [{ max_attempts: 2.5 }, 'max_attempts: expected an integer from 1 to 20'],
    [{ max_attempts: '3' }, 'max_attempts: expected an integer from 1 to 20'],
    [{ exhausted: 'retry' }, 'exhausted: expected one of review, alternative, reject'],
    [{ max_attemps: 3 }, 'max_attemps: unknown key; expected one of max_attempts, categories, exhausted'],
    [[], '(policy): expected an object'],
    ['max_attempts: 3', '(policy): expected an object'],
  ])('rejects %j with a message naming the key', (input, message) => {
    expect(() => parsePolicy(input)).toThrow(PolicyError);
    expect(() => parsePolicy(input)).toThrow(message);
  });

  it('exposes the failing key path on the error', () => {
    try {
      parsePolicy({ categories: { selfie_manipulated: 42 } });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(PolicyError);
      expect((err as PolicyError).path).toBe('categories.selfie_manipulated');
      expect((err as PolicyError).message).toBe(
        'categories.selfie_manipulated: expected one of retry, alternative, review, reject, got 42',
      );
    }
  });
});
