/**
 * Readers of the VerificationSession create/update parameters stripe-node 23.1.0 sends (reference §8):
 * `options`, `provided_details`, `related_person`. Each failure names the parameter.
 */
import { invalidParam, missingParam } from './api-error.js';
import type { FormObject } from './form-body.js';
import type {
  DocumentOptions,
  DocumentType,
  ProvidedDetails,
  RelatedPerson,
  SessionOptions,
} from './model.js';
import { oneOf, optionalBoolean, optionalHash, optionalString, optionalStringArray } from './params.js';

const DOCUMENT_TYPES: readonly DocumentType[] = ['driving_license', 'id_card', 'passport'];

function unknown(param: string) {
  return invalidParam(param, `Received unknown parameter: ${param}`, 'parameter_unknown');
}

/**
 * `options[document]…`, and `options[email|phone][require_verification]`: stripe-node's create types
 * dropped the last two (reference §8 "inadvertently released"), but the object still carries them and the
 * emulator keeps them so a caller that sends them sees them back. `options[document]=` unsets it.
 */
export function readOptions(params: FormObject): SessionOptions | undefined {
  const options = optionalHash(params, 'options');
  if (options === undefined) return params.options === '' ? {} : undefined;
  const result: SessionOptions = {};
  for (const key of Object.keys(options)) {
    if (key === 'document') {
      const document = readDocumentOptions(options);
      if (document) result.document = document;
    } else if (key === 'email' || key === 'phone') {
      result[key] = readRequireVerification(options, key);
    } else {
      throw unknown(`options[${key}]`);
    }
  }
  return result;
}

function readDocumentOptions(options: FormObject): DocumentOptions | undefined {
  if (options.document === undefined || options.document === '') return undefined;
  const document = optionalHash(options, 'document');
  if (document === undefined)
    throw invalidParam('options[document]', 'Invalid hash: options[document] must be a hash.');
  const result: DocumentOptions = {};
  for (const key of Object.keys(document)) {
    const param = `options[document][${key}]`;
    if (key === 'allowed_types') {
      const types = optionalStringArray(document, key) ?? [];
      result.allowed_types = types.map((t) => oneOf(param, t, DOCUMENT_TYPES)!);
    } else if (
      key === 'require_id_number' ||
      key === 'require_live_capture' ||
      key === 'require_matching_selfie'
    ) {
      result[key] = optionalBoolean(document, param, document[key]);
    } else {
      throw unknown(param);
    }
  }
  return result;
}

function readRequireVerification(
  options: FormObject,
  key: 'email' | 'phone',
): { require_verification?: boolean } {
  const hash = optionalHash(options, key) ?? {};
  const result: { require_verification?: boolean } = {};
  for (const name of Object.keys(hash)) {
    const param = `options[${key}][${name}]`;
    if (name !== 'require_verification') throw unknown(param);
    const value = optionalBoolean(hash, param, hash[name]);
    if (value !== undefined) result.require_verification = value;
  }
  return result;
}

export function readProvidedDetails(params: FormObject): ProvidedDetails | null | undefined {
  if (params.provided_details === '') return null;
  const details = optionalHash(params, 'provided_details');
  if (details === undefined) return undefined;
  const result: ProvidedDetails = {};
  for (const key of Object.keys(details)) {
    if (key !== 'email' && key !== 'phone') throw unknown(`provided_details[${key}]`);
    const value = optionalString(details, key);
    if (value) result[key] = value;
  }
  return result;
}

/** `related_person[account]` and `related_person[person]`: both required if present (reference §8). */
export function readRelatedPerson(params: FormObject): RelatedPerson | null {
  const hash = optionalHash(params, 'related_person');
  if (hash === undefined) return null;
  for (const key of Object.keys(hash)) {
    if (key !== 'account' && key !== 'person') throw unknown(`related_person[${key}]`);
  }
  const account = optionalString(hash, 'account');
  const person = optionalString(hash, 'person');
  if (!account) throw missingParam('related_person[account]');
  if (!person) throw missingParam('related_person[person]');
  return { account, person };
}
