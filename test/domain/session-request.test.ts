import { describe, expect, it } from 'vitest';
import {
  PolicyError,
  parsePolicy,
  readSessionFields,
  SessionRequestError,
  withSessionDefaults,
} from '../../src/domain/index.js';

describe('session defaults from the policy file', () => {
  it('reads the session key and refuses unknown fields with their path', () => {
    const policy = parsePolicy({ session: { type: 'id_number', return_url: 'https://app.test/back' } });
    expect(policy.session).toEqual({ type: 'id_number', return_url: 'https://app.test/back' });
    expect(() => parsePolicy({ session: { related_customer: 'cus_1' } })).toThrow(
      new PolicyError(
        'session.related_customer',
        'unknown field; expected one of type, verification_flow, options, return_url',
      ),
    );
    expect(() => parsePolicy({ session: { options: { document: { allowed_types: [] } } } })).toThrow(
      /^session\.options\.document\.allowed_types: must be a non-empty list/,
    );
  });

  it('a request field replaces the default; each options check is replaced whole', () => {
    const defaults = {
      options: { document: { require_matching_selfie: true }, email: { require_verification: true } },
      return_url: 'https://app.test/default',
    };
    expect(withSessionDefaults(defaults, { options: { document: { require_id_number: true } } })).toEqual({
      type: 'document',
      options: { document: { require_id_number: true }, email: { require_verification: true } },
      return_url: 'https://app.test/default',
    });
  });

  it('a request type or flow drops the default’s other choice and its options', () => {
    const defaults = { verification_flow: 'vf_default' };
    expect(withSessionDefaults(defaults, { type: 'id_number' })).toEqual({ type: 'id_number' });
    expect(
      withSessionDefaults({ type: 'document', options: { document: {} } }, { verification_flow: 'vf_x' }),
    ).toEqual({
      verification_flow: 'vf_x',
    });
    expect(withSessionDefaults({}, {})).toEqual({ type: 'document' });
  });

  it('refuses options next to a default verification flow', () => {
    expect(() => withSessionDefaults({ verification_flow: 'vf_a' }, { options: { document: {} } })).toThrow(
      SessionRequestError,
    );
  });

  it('names the exact field that is wrong', () => {
    const param = (input: Record<string, unknown>) => {
      try {
        readSessionFields(input);
      } catch (err) {
        return (err as SessionRequestError).param;
      }
      return undefined;
    };
    expect(param({ options: { document: { allowed_types: ['passport', 'passport'] } } })).toBe(
      'options.document.allowed_types',
    );
    expect(param({ options: { email: { require_verification: 1 } } })).toBe(
      'options.email.require_verification',
    );
    expect(param({ related_person: { account: 'acct_1', person: 'p' } })).toBe('related_person.person');
    expect(param({ related_customer_account: 'cus_1' })).toBe('related_customer_account');
    expect(param({ verification_flow: 'flow' })).toBe('verification_flow');
    expect(param({ type: 'document', provided_details: { email: 'a@b', phone: '+15555550100' } })).toBe(
      undefined,
    );
  });
});
