/**
 * The `expected` field of a session request: what the app knows about its user, to compare with what Stripe
 * verified (verified-match.ts). Every field is optional; each failure names its field (`expected.dob`).
 * The values are personal data: the caller stores them encrypted and only until the comparison is done.
 */
import { SessionRequestError } from './session-request.js';
import { parseDob, type ExpectedData } from './verified-match.js';

export const EXPECTED_FIELDS = Object.freeze([
  'first_name',
  'last_name',
  'dob',
  'min_age',
  'country',
] as const);

const COUNTRY = /^[A-Za-z]{2}$/;
const MAX_NAME = 200;

function nameAt(value: unknown, path: string): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > MAX_NAME)
    throw new SessionRequestError(path, `must be a non-empty string of at most ${MAX_NAME} characters`);
  return value;
}

/** Reads `expected`; null/undefined or `{}` mean nothing is expected (no comparison, no hold). */
export function readExpected(value: unknown, path = 'expected'): ExpectedData | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value))
    throw new SessionRequestError(path, 'must be an object');
  const input = value as Record<string, unknown>;
  for (const key of Object.keys(input)) {
    if (!(EXPECTED_FIELDS as readonly string[]).includes(key))
      throw new SessionRequestError(
        `${path}.${key}`,
        `unknown field; expected one of ${EXPECTED_FIELDS.join(', ')}`,
      );
  }
  const result: ExpectedData = {};
  if (input['first_name'] != null) result.first_name = nameAt(input['first_name'], `${path}.first_name`);
  if (input['last_name'] != null) result.last_name = nameAt(input['last_name'], `${path}.last_name`);
  if (input['dob'] != null) {
    const dob = input['dob'];
    if (typeof dob !== 'string' || parseDob(dob) === undefined)
      throw new SessionRequestError(`${path}.dob`, 'must be a calendar date YYYY-MM-DD');
    result.dob = dob;
  }
  if (input['min_age'] != null) {
    const age = input['min_age'];
    if (typeof age !== 'number' || !Number.isInteger(age) || age < 1 || age > 150)
      throw new SessionRequestError(`${path}.min_age`, 'must be an integer from 1 to 150');
    result.min_age = age;
  }
  if (input['country'] != null) {
    const country = input['country'];
    if (typeof country !== 'string' || !COUNTRY.test(country))
      throw new SessionRequestError(
        `${path}.country`,
        'must be an ISO 3166-1 alpha-2 country code (e.g. DE)',
      );
    result.country = country.toUpperCase();
  }
  return Object.keys(result).length === 0 ? undefined : result;
}
