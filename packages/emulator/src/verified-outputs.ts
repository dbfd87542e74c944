/**
 * Fake but plausible verified outputs, and their redacted placeholders. Names follow Stripe's own test
 * persona; which fields are filled depends on the session as Stripe's would (an ID number only when the
 * session checked one, email/phone only when provided; reference §1 `verified_outputs`). After redaction
 * every personal field holds a placeholder, `dob` becomes 1/1/1 (§1 "Sensitive-data access rules").
 */
import type { ProvidedDetails, EmulatedSession, VerifiedOutputs } from './model.js';

export function fakeVerifiedOutputs(
  session: Pick<EmulatedSession, 'type' | 'options' | 'provided_details'>,
): VerifiedOutputs {
  const checksIdNumber = session.type === 'id_number' || session.options.document?.require_id_number === true;
  return {
    address: {
      city: 'South San Francisco',
      country: 'US',
      line1: '354 Oyster Point Blvd',
      line2: null,
      postal_code: '94080',
      state: 'CA',
    },
    dob: { day: 14, month: 3, year: 1990 },
    email: session.provided_details?.email ?? null,
    first_name: 'Jenny',
    last_name: 'Rosen',
    id_number: checksIdNumber ? '000000000' : null,
    id_number_type: checksIdNumber ? 'us_ssn' : null,
    phone: session.provided_details?.phone ?? null,
    sex: 'female',
    unparsed_place_of_birth: 'San Francisco, California',
    unparsed_sex: 'F',
  };
}

const REDACTED = '[redacted]';

export function redactVerifiedOutputs(outputs: VerifiedOutputs): VerifiedOutputs {
  const mask = (value: string | null): string | null => (value === null ? null : REDACTED);
  return {
    address: outputs.address && {
      city: mask(outputs.address.city),
      country: mask(outputs.address.country),
      line1: mask(outputs.address.line1),
      line2: mask(outputs.address.line2),
      postal_code: mask(outputs.address.postal_code),
      state: mask(outputs.address.state),
    },
    dob: outputs.dob && { day: 1, month: 1, year: 1 },
    email: mask(outputs.email),
    first_name: mask(outputs.first_name),
    last_name: mask(outputs.last_name),
    id_number: mask(outputs.id_number),
    id_number_type: outputs.id_number_type,
    phone: mask(outputs.phone),
    sex: outputs.sex && REDACTED,
    unparsed_place_of_birth: mask(outputs.unparsed_place_of_birth),
    unparsed_sex: mask(outputs.unparsed_sex),
  };
}

export function redactProvidedDetails(details: ProvidedDetails | null): ProvidedDetails | null {
  if (details === null) return null;
  const result: ProvidedDetails = {};
  if (details.email !== undefined) result.email = REDACTED;
  if (details.phone !== undefined) result.phone = REDACTED;
  return result;
}
