/**
 * `verified_outputs[first_name|last_name|id_number]`, `verified_outputs[dob][day|month|year]` and
 * `verified_outputs[address][country]`, taken by the `verify` test helper and the hosted page: what the
 * verified submission reports instead of the default persona (DESIGN.md "Interfaces of the second round").
 * Blank fields keep the default.
 */
import { invalidParam } from './api-error.js';
import type { FormObject } from './form-body.js';
import type { VerifiedOutputs } from './model.js';
import { fakeVerifiedOutputs } from './verified-outputs.js';
import { optionalHash, optionalInteger, optionalString } from './params.js';

const TOP = ['first_name', 'last_name', 'id_number', 'dob', 'address'];

export function readReportedOutputs(params: FormObject): Partial<VerifiedOutputs> {
  const hash = optionalHash(params, 'verified_outputs');
  if (hash === undefined) return {};
  for (const key of Object.keys(hash)) {
    if (!TOP.includes(key))
      throw invalidParam(
        `verified_outputs[${key}]`,
        `Received unknown parameter: verified_outputs[${key}]`,
        'parameter_unknown',
      );
  }
  const result: Partial<VerifiedOutputs> = {};
  for (const key of ['first_name', 'last_name', 'id_number'] as const) {
    const value = optionalString(hash, key);
    if (value) result[key] = value;
  }
  const dob = readDob(hash);
  if (dob) result.dob = dob;
  const country = optionalString(optionalHash(hash, 'address') ?? {}, 'country');
  if (country) {
    if (!/^[A-Za-z]{2}$/.test(country))
      throw invalidParam('verified_outputs[address][country]', 'Country must be a two-letter ISO code.');
    const base = fakeVerifiedOutputs({ type: 'document', options: {}, provided_details: null }).address!;
    result.address = { ...base, country: country.toUpperCase() };
  }
  return result;
}

function readDob(hash: FormObject): VerifiedOutputs['dob'] | undefined {
  const dob = optionalHash(hash, 'dob');
  if (dob === undefined) return undefined;
  const part = (name: 'day' | 'month' | 'year') => {
    const raw = dob[name];
    if (raw === undefined || raw === '') return undefined;
    return optionalInteger(dob, `verified_outputs[dob][${name}]`, raw);
  };
  const day = part('day');
  const month = part('month');
  const year = part('year');
  if (day === undefined && month === undefined && year === undefined) return undefined;
  if (day === undefined || month === undefined || year === undefined)
    throw invalidParam('verified_outputs[dob]', 'Give day, month and year of verified_outputs[dob].');
  return { day, month, year };
}
