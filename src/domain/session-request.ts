/**
 * What an app may ask of a verification session, in Stripe's own field names so it reaches Stripe as
 * given (reference §8 "Create params"): `type` or `verification_flow`, `options`, `provided_details`,
 * `related_customer`, `related_customer_account`, `related_person`, `return_url`. The policy file's
 * `session` key holds defaults for the fields that are the same for every user (`type`,
 * `verification_flow`, `options`, `return_url`); a request's field replaces the default's, and each
 * `options.<check>` replaces that check's default.
 *
 * `options.email` / `options.phone` (`require_verification`) are passed through: Stripe's object carries
 * them, though stripe-node dropped them from its create types (reference §1 `options`, §8) — an account
 * that cannot use them gets Stripe's own refusal back.
 *
 * Every failure names the field: `SessionRequestError.param` is the dotted path (`options.document.allowed_types`).
 */
import { isOneOf } from './terms.js';

export const SESSION_TYPES = Object.freeze(['document', 'id_number'] as const);
export type SessionType = (typeof SESSION_TYPES)[number];
export const DOCUMENT_TYPES = Object.freeze(['driving_license', 'id_card', 'passport'] as const);
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

export interface DocumentCheckOptions {
  allowed_types?: DocumentType[];
  require_id_number?: boolean;
  require_live_capture?: boolean;
  require_matching_selfie?: boolean;
}

export interface SessionCheckOptions {
  document?: DocumentCheckOptions;
  email?: { require_verification?: boolean };
  phone?: { require_verification?: boolean };
}

/** The fields of a session request, as Stripe names them. */
export interface SessionFields {
  type?: SessionType;
  verification_flow?: string;
  options?: SessionCheckOptions;
  provided_details?: { email?: string; phone?: string };
  related_customer?: string;
  related_customer_account?: string;
  related_person?: { account: string; person: string };
  return_url?: string;
}

/** The policy's `session` key: the fields that are the same for every user. */
export type SessionDefaults = Pick<SessionFields, 'type' | 'verification_flow' | 'options' | 'return_url'>;

export const SESSION_FIELD_NAMES = Object.freeze([
  'type',
  'verification_flow',
  'options',
  'provided_details',
  'related_customer',
  'related_customer_account',
  'related_person',
  'return_url',
] as const);
export const SESSION_DEFAULT_NAMES = Object.freeze([
  'type',
  'verification_flow',
  'options',
  'return_url',
] as const);

export class SessionRequestError extends Error {
  constructor(
    readonly param: string,
    message: string,
  ) {
    super(`${param}: ${message}`);
    this.name = 'SessionRequestError';
  }
}

const EMAIL = /^[^\s@]+@[^\s@]+$/;
const PHONE = /^\+[1-9]\d{6,14}$/;
const FLOW = /^vf_[A-Za-z0-9_]{1,200}$/;
const CUSTOMER = /^cus_[A-Za-z0-9]{1,200}$/;
const ACCOUNT = /^acct_[A-Za-z0-9]{1,200}$/;
const PERSON = /^person_[A-Za-z0-9]{1,200}$/;

type Fields = Record<string, unknown>;

function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function objectAt(value: unknown, path: string): Fields {
  if (!isObject(value)) throw new SessionRequestError(path, 'must be an object');
  return value;
}

function onlyKeys(value: Fields, allowed: readonly string[], path: string): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      throw new SessionRequestError(
        path ? `${path}.${key}` : key,
        `unknown field; expected one of ${allowed.join(', ')}`,
      );
    }
  }
}

function matching(value: unknown, pattern: RegExp, path: string, what: string): string {
  if (typeof value !== 'string' || !pattern.test(value))
    throw new SessionRequestError(path, `must be ${what}`);
  return value;
}

function booleanAt(value: unknown, path: string): boolean {
  if (typeof value !== 'boolean') throw new SessionRequestError(path, 'must be true or false');
  return value;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

function readDocument(value: unknown, path: string): DocumentCheckOptions {
  const document = objectAt(value, path);
  onlyKeys(
    document,
    ['allowed_types', 'require_id_number', 'require_live_capture', 'require_matching_selfie'],
    path,
  );
  const result: DocumentCheckOptions = {};
  if (document['allowed_types'] !== undefined) {
    const types = document['allowed_types'];
    const at = `${path}.allowed_types`;
    if (!Array.isArray(types) || types.length === 0)
      throw new SessionRequestError(at, `must be a non-empty list of ${DOCUMENT_TYPES.join(', ')}`);
    types.forEach((t, i) => {
      if (!isOneOf(DOCUMENT_TYPES, t))
        throw new SessionRequestError(`${at}[${i}]`, `must be one of ${DOCUMENT_TYPES.join(', ')}`);
    });
    if (new Set(types).size !== types.length) throw new SessionRequestError(at, 'lists a type twice');
    result.allowed_types = [...(types as DocumentType[])];
  }
  for (const key of ['require_id_number', 'require_live_capture', 'require_matching_selfie'] as const) {
    if (document[key] !== undefined) result[key] = booleanAt(document[key], `${path}.${key}`);
  }
  return result;
}

function readRequireVerification(value: unknown, path: string): { require_verification?: boolean } {
  const check = objectAt(value, path);
  onlyKeys(check, ['require_verification'], path);
  return check['require_verification'] === undefined
    ? {}
    : { require_verification: booleanAt(check['require_verification'], `${path}.require_verification`) };
}

function readOptions(value: unknown, path: string): SessionCheckOptions {
  const options = objectAt(value, path);
  onlyKeys(options, ['document', 'email', 'phone'], path);
  const result: SessionCheckOptions = {};
  if (options['document'] !== undefined)
    result.document = readDocument(options['document'], `${path}.document`);
  for (const key of ['email', 'phone'] as const) {
    if (options[key] !== undefined) result[key] = readRequireVerification(options[key], `${path}.${key}`);
  }
  return result;
}

function readProvidedDetails(value: unknown, path: string): { email?: string; phone?: string } {
  const details = objectAt(value, path);
  onlyKeys(details, ['email', 'phone'], path);
  const result: { email?: string; phone?: string } = {};
  if (details['email'] !== undefined) {
    result.email = matching(details['email'], EMAIL, `${path}.email`, 'an email address');
    if (result.email.length > 254) throw new SessionRequestError(`${path}.email`, 'must be an email address');
  }
  if (details['phone'] !== undefined)
    result.phone = matching(
      details['phone'],
      PHONE,
      `${path}.phone`,
      'a phone number in E.164 form (+15555550100)',
    );
  return result;
}

function readRelatedPerson(value: unknown, path: string): { account: string; person: string } {
  const person = objectAt(value, path);
  onlyKeys(person, ['account', 'person'], path);
  return {
    account: matching(person['account'], ACCOUNT, `${path}.account`, 'a Connect account id (acct_…)'),
    person: matching(person['person'], PERSON, `${path}.person`, 'a Person id (person_…)'),
  };
}

/**
 * Reads the session fields present in `input` (keys not in `allowed` are the caller's to check), with
 * each error's path prefixed by `prefix` (`session.` for the policy file).
 */
export function readSessionFields(
  input: Fields,
  prefix = '',
  allowed: readonly string[] = SESSION_FIELD_NAMES,
): SessionFields {
  const at = (name: string) => `${prefix}${name}`;
  const has = (name: string) => allowed.includes(name) && input[name] !== undefined && input[name] !== null;
  const result: SessionFields = {};
  if (has('type')) {
    if (!isOneOf(SESSION_TYPES, input['type']))
      throw new SessionRequestError(at('type'), `must be one of ${SESSION_TYPES.join(', ')}`);
    result.type = input['type'];
  }
  if (has('verification_flow'))
    result.verification_flow = matching(
      input['verification_flow'],
      FLOW,
      at('verification_flow'),
      'a verification flow id (vf_…)',
    );
  if (result.type && result.verification_flow)
    throw new SessionRequestError(at('verification_flow'), 'give type or verification_flow, not both');
  if (has('options')) result.options = readOptions(input['options'], at('options'));
  if (result.verification_flow && result.options)
    throw new SessionRequestError(
      at('options'),
      'a verification flow brings its own options; leave options out',
    );
  if (has('provided_details'))
    result.provided_details = readProvidedDetails(input['provided_details'], at('provided_details'));
  if (has('related_customer'))
    result.related_customer = matching(
      input['related_customer'],
      CUSTOMER,
      at('related_customer'),
      'a Customer id (cus_…)',
    );
  if (has('related_customer_account'))
    result.related_customer_account = matching(
      input['related_customer_account'],
      ACCOUNT,
      at('related_customer_account'),
      'an Account id (acct_…)',
    );
  if (has('related_person'))
    result.related_person = readRelatedPerson(input['related_person'], at('related_person'));
  if (has('return_url')) {
    const url = input['return_url'];
    if (typeof url !== 'string' || url.length > 2048 || !isHttpUrl(url))
      throw new SessionRequestError(at('return_url'), 'must be an absolute http(s) URL');
    result.return_url = url;
  }
  return result;
}

/** The policy's `session` key; unknown keys are refused so a typo is an error. */
export function parseSessionDefaults(input: unknown): SessionDefaults {
  if (input === undefined || input === null) return {};
  const fields = objectAt(input, 'session');
  onlyKeys(fields, SESSION_DEFAULT_NAMES, 'session');
  return Object.freeze(readSessionFields(fields, 'session.', SESSION_DEFAULT_NAMES));
}

/**
 * The request over the defaults. `type` and `verification_flow` are one choice: a request giving either
 * drops the default's other; neither anywhere means `type: document` (what idv always created before).
 * Default options apply to a session of the default's type, each check (`document`, `email`, `phone`)
 * replaced whole by the request's.
 */
export function withSessionDefaults(defaults: SessionDefaults, request: SessionFields): SessionFields {
  const chosen = request.type || request.verification_flow ? request : defaults;
  const merged: SessionFields = { ...request };
  delete merged.type;
  delete merged.verification_flow;
  if (chosen.verification_flow) merged.verification_flow = chosen.verification_flow;
  else merged.type = chosen.type ?? 'document';
  if (merged.verification_flow && request.options)
    throw new SessionRequestError(
      'options',
      'the verification flow brings its own options; leave options out',
    );
  // The default options are for the default's type: an app asking for id_number drops document defaults.
  const defaultOptions =
    !merged.verification_flow && !defaults.verification_flow && merged.type === (defaults.type ?? 'document')
      ? defaults.options
      : undefined;
  if (defaultOptions || request.options) merged.options = { ...defaultOptions, ...request.options };
  if (merged.return_url === undefined && defaults.return_url) merged.return_url = defaults.return_url;
  return merged;
}
