/**
 * `/v1/identity/verification_sessions`: create, retrieve, update, list, cancel, redact with the parameters
 * stripe-node 23.1.0 sends (reference §8) and the status rules of §2.
 */
import { invalidParam, missingParam } from '../api-error.js';
import { type EmulatorContext, renderFor, requestInfo } from '../context.js';
import type { FormObject } from '../form-body.js';
import { PAGE_PARAM_NAMES, paginate, readCreatedFilter, readPageParams } from '../list-page.js';
import {
  SESSION_STATUSES,
  type DocumentOptions,
  type DocumentType,
  type ProvidedDetails,
  type EmulatedSession,
} from '../model.js';
import {
  applyMetadata,
  assertKnownParams,
  oneOf,
  optionalBoolean,
  optionalHash,
  optionalMetadata,
  optionalNullableString,
  optionalString,
  optionalStringArray,
} from '../params.js';
import { type ApiRequest, type Router, json } from '../router.js';
import { checkSessionExpand } from '../session-render.js';

const BASE = '/v1/identity/verification_sessions';
const DOCUMENT_TYPES: readonly DocumentType[] = ['driving_license', 'id_card', 'passport'];
const SESSION_TYPES = ['document', 'id_number'] as const;

const CREATE_PARAMS = [
  'type',
  'verification_flow',
  'client_reference_id',
  'metadata',
  'options',
  'provided_details',
  'related_customer',
  'related_customer_account',
  'related_person',
  'return_url',
  'expand',
];
const UPDATE_PARAMS = ['metadata', 'options', 'provided_details', 'type', 'expand'];
const LIST_PARAMS = [
  'client_reference_id',
  'created',
  'related_customer',
  'related_customer_account',
  'status',
  ...PAGE_PARAM_NAMES,
];

export function registerVerificationSessionRoutes(router: Router, ctx: EmulatorContext): void {
  const respond = (request: ApiRequest, session: EmulatedSession) => {
    const expand = readExpand(request.params);
    checkSessionExpand(expand, request.keyKind);
    return json(renderFor(ctx, session, expand, request.keyKind));
  };

  router.add('POST', BASE, (request) => {
    const { params } = request;
    assertKnownParams(params, CREATE_PARAMS);
    if (params.verification_flow !== undefined) {
      throw invalidParam(
        'verification_flow',
        'The emulator does not support Dashboard verification flows; pass type instead.',
      );
    }
    const type = oneOf('type', optionalString(params, 'type'), SESSION_TYPES);
    if (type === undefined) throw missingParam('type');
    const expand = readExpand(params);
    checkSessionExpand(expand, request.keyKind);
    const session = ctx.sessions.create(
      {
        type,
        client_reference_id: optionalNullableString(params, 'client_reference_id') ?? null,
        metadata: applyMetadata({}, optionalMetadata(params) ?? {}),
        options: readOptions(params) ?? {},
        provided_details: readProvidedDetails(params) ?? null,
        related_customer: optionalNullableString(params, 'related_customer') ?? null,
        return_url: optionalNullableString(params, 'return_url') ?? null,
      },
      requestInfo(request),
    );
    return json(renderFor(ctx, session, expand, request.keyKind));
  });

  router.add('GET', BASE, (request) => {
    const { params } = request;
    assertKnownParams(params, LIST_PARAMS);
    const page = readPageParams(params);
    const created = readCreatedFilter(params);
    const status = oneOf('status', optionalString(params, 'status'), SESSION_STATUSES);
    const reference = optionalString(params, 'client_reference_id');
    const customer = optionalString(params, 'related_customer');
    // In a list, expansions are written `data.<field>`.
    const expand = readExpand(params).map((path) => path.replace(/^data\./, ''));
    checkSessionExpand(expand, request.keyKind);
    const matching = ctx.state
      .sessionsNewestFirst()
      .filter(
        (s) =>
          created(s.created) &&
          (status === undefined || s.status === status) &&
          (reference === undefined || s.client_reference_id === reference) &&
          (customer === undefined || s.related_customer === customer),
      );
    const listed = paginate(
      matching,
      page,
      BASE,
      (s) => s.seq,
      (id) => ctx.state.sessions.get(id)?.seq,
      'verification_session',
    );
    return json({ ...listed, data: listed.data.map((s) => renderFor(ctx, s, expand, request.keyKind)) });
  });

  router.add('GET', `${BASE}/:id`, (request) => respond(request, ctx.sessions.get(request.pathParams.id!)));

  router.add('POST', `${BASE}/:id`, (request) => {
    const { params } = request;
    const id = request.pathParams.id!;
    assertKnownParams(params, UPDATE_PARAMS);
    const current = ctx.sessions.get(id);
    const patch: Partial<Pick<EmulatedSession, 'metadata' | 'options' | 'provided_details' | 'type'>> = {};
    const metadata = optionalMetadata(params);
    if (metadata !== undefined) patch.metadata = applyMetadata(current.metadata, metadata);
    const options = readOptions(params);
    if (options !== undefined) patch.options = options;
    const details = readProvidedDetails(params);
    if (details !== undefined) patch.provided_details = details;
    const type = oneOf('type', optionalString(params, 'type'), SESSION_TYPES);
    if (type !== undefined) patch.type = type;
    const expand = readExpand(params);
    checkSessionExpand(expand, request.keyKind);
    return json(
      renderFor(ctx, ctx.sessions.update(id, patch, requestInfo(request)), expand, request.keyKind),
    );
  });

  router.add('POST', `${BASE}/:id/cancel`, (request) => {
    assertKnownParams(request.params, ['expand']);
    return respond(request, ctx.sessions.cancel(request.pathParams.id!, requestInfo(request)));
  });

  router.add('POST', `${BASE}/:id/redact`, (request) => {
    assertKnownParams(request.params, ['expand']);
    return respond(request, ctx.sessions.redact(request.pathParams.id!, requestInfo(request)));
  });
}

export function readExpand(params: FormObject): string[] {
  return optionalStringArray(params, 'expand') ?? [];
}

/** `options[document]…`; only `document` is accepted at create/update (reference §8). `options[document]=` unsets it. */
function readOptions(params: FormObject): { document?: DocumentOptions } | undefined {
  const options = optionalHash(params, 'options');
  if (options === undefined) return params.options === '' ? {} : undefined;
  for (const key of Object.keys(options)) {
    if (key !== 'document')
      throw invalidParam(
        `options[${key}]`,
        `Received unknown parameter: options[${key}]`,
        'parameter_unknown',
      );
  }
  if (options.document === undefined || options.document === '') return {};
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
      throw invalidParam(param, `Received unknown parameter: ${param}`, 'parameter_unknown');
    }
  }
  return { document: result };
}

function readProvidedDetails(params: FormObject): ProvidedDetails | null | undefined {
  if (params.provided_details === '') return null;
  const details = optionalHash(params, 'provided_details');
  if (details === undefined) return undefined;
  const result: ProvidedDetails = {};
  for (const key of Object.keys(details)) {
    if (key !== 'email' && key !== 'phone') {
      throw invalidParam(
        `provided_details[${key}]`,
        `Received unknown parameter: provided_details[${key}]`,
        'parameter_unknown',
      );
    }
    const value = optionalString(details, key);
    if (value) result[key] = value;
  }
  return result;
}
