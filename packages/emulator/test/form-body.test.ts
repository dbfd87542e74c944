import { describe, expect, it } from 'vitest';
import { parseForm } from '../src/form-body.js';

describe('parseForm (Stripe form encoding, reference §9)', () => {
  it('decodes the create request stripe-node sends', () => {
    const body =
      'type=document&metadata[user_id]=u1&client_reference_id=u1&options[document][allowed_types][0]=passport&options[document][allowed_types][1]=id_card&options[document][require_matching_selfie]=true&return_url=https%3A%2F%2Fexample.com%2Fdone';
    expect(parseForm(body)).toEqual({
      type: 'document',
      metadata: { user_id: 'u1' },
      client_reference_id: 'u1',
      options: { document: { allowed_types: ['passport', 'id_card'], require_matching_selfie: 'true' } },
      return_url: 'https://example.com/done',
    });
  });

  it('turns indexed keys into arrays ordered by index, and appends for []', () => {
    expect(parseForm('expand[1]=b&expand[0]=a')).toEqual({ expand: ['a', 'b'] });
    expect(parseForm('types[]=x&types[]=y')).toEqual({ types: ['x', 'y'] });
  });

  it('decodes percent-encoded brackets and plus signs like a query string', () => {
    expect(parseForm('created%5Bgte%5D=10&q=a+b')).toEqual({ created: { gte: '10' }, q: 'a b' });
  });

  it('ignores keys that would reach the object prototype', () => {
    const parsed = parseForm('__proto__[polluted]=1&a[constructor]=x&ok=1');
    expect(parsed).toEqual({ ok: '1' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('returns an empty object for an empty body', () => {
    expect(parseForm('')).toEqual({});
  });
});
