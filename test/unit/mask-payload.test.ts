/** What an operator sees of a stored event without a reveal (src/stripe/mask-payload.ts). */
import { describe, expect, it } from 'vitest';
import { MASK, maskPayload } from '../../src/stripe/mask-payload.js';
import { sessionEvent } from '../helpers/stripe-events.js';

describe('maskPayload', () => {
  it('masks the personal values of a session event and keeps its shape, keys and the rest', () => {
    const event = sessionEvent({
      type: 'identity.verification_session.requires_input',
      subject: 'user_1',
      sessionId: 'vs_1',
      code: 'document_expired',
      email: 'jenny.rosen@example.com',
    }) as { data: { object: Record<string, unknown> } };
    event.data.object.verified_outputs = { first_name: 'Jenny', dob: { day: 1, month: 2, year: 1990 } };
    event.data.object.last_verification_report = {
      id: 'vr_1',
      document: { first_name: 'Jenny', files: ['file_1'], issuing_country: 'US' },
      selfie: { status: 'unverified', selfie: 'file_2' },
    };
    const masked = maskPayload(JSON.stringify(event)) as { data: { object: Record<string, unknown> } };
    expect(masked.data.object).toMatchObject({
      id: 'vs_1',
      status: 'requires_input',
      last_error: { code: 'document_expired' },
      provided_details: { email: MASK },
      metadata: { user_id: MASK },
      client_reference_id: MASK,
      verified_outputs: { first_name: MASK, dob: { day: MASK, month: MASK, year: MASK } },
      // Its checks are on the review case; its file ids name the images the audited reveal guards.
      last_verification_report: 'vr_1',
    });
    for (const value of ['Jenny', 'jenny.rosen', 'user_1', '1990', 'file_1', 'file_2']) {
      expect(JSON.stringify(masked)).not.toContain(value);
    }
  });

  it('shows only the envelope of another type of event, whose personal fields idv does not know', () => {
    const customer = {
      id: 'evt_c',
      object: 'event',
      type: 'customer.created',
      created: 1,
      livemode: false,
      data: { object: { id: 'cus_1', object: 'customer', name: 'Jenny Rosen', description: 'Jenny VIP' } },
    };
    expect(maskPayload(JSON.stringify(customer))).toEqual({
      id: 'evt_c',
      object: 'event',
      type: 'customer.created',
      created: 1,
      livemode: false,
      data: { object: { id: 'cus_1', object: 'customer' } },
      masked: 'Only the envelope of an event idv does not handle is shown.',
    });
  });

  it('answers null for a payload that is not JSON', () => {
    expect(maskPayload('not json')).toBeNull();
  });
});
