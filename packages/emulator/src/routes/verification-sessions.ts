/**
 * `/v1/identity/verification_sessions`: create, retrieve, update, list, cancel, redact with the parameters
 * stripe-node 23.1.0 sends (reference §8) and the status rules of §2.
 */
import { exclusiveParams, missingParam, resourceMissing } from '../api-error.js';
import { type EmulatorContext, renderFor, requestInfo } from '../context.js';
import type { FormObject } from '../form-body.js';
import { PAGE_PARAM_NAMES, paginate, readCreatedFilter, readPageParams } from '../list-page.js';
import { SESSION_STATUSES, type EmulatedSession } from '../model.js';
import {
  applyMetadata,
  assertKnownParams,
  oneOf,
  optionalMetadata,
  optionalNullableString,
  optionalString,
  optionalStringArray,
} from '../params.js';
import { type ApiRequest, type Reply, type Router, json } from '../router.js';
import { checkSessionExpand } from '../session-render.js';
import type { NewSessionInput } from '../sessions.js';
import { readOptions, readProvidedDetails, readRelatedPerson } from '../session-params.js';

const BASE = '/v1/identity/verification_sessions';
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
    assertKnownParams(request.params, CREATE_PARAMS);
    const input = readCreate(ctx, request.params);
    const expand = readExpand(request.params);
    checkSessionExpand(expand, request.keyKind);
    const session = ctx.sessions.create(input, requestInfo(request));
    return json(renderFor(ctx, session, expand, request.keyKind));
  });
  router.add('GET', BASE, (request) => listSessions(ctx, request));
  router.add('GET', `${BASE}/:id`, (request) => respond(request, ctx.sessions.get(request.pathParams.id!)));
  router.add('POST', `${BASE}/:id`, (request) => updateSession(ctx, request));
  router.add('POST', `${BASE}/:id/cancel`, (request) => {
    assertKnownParams(request.params, ['expand']);
    return respond(request, ctx.sessions.cancel(request.pathParams.id!, requestInfo(request)));
  });
  router.add('POST', `${BASE}/:id/redact`, (request) => {
    assertKnownParams(request.params, ['expand']);
    return respond(request, ctx.sessions.redact(request.pathParams.id!, requestInfo(request)));
  });
}

/** `type` or `verification_flow`, exactly one (reference §8); a flow brings its own options. */
function readCreate(ctx: EmulatorContext, params: FormObject): NewSessionInput {
  const type = oneOf('type', optionalString(params, 'type'), SESSION_TYPES);
  const flowId = optionalString(params, 'verification_flow');
  if (type !== undefined && flowId !== undefined) throw exclusiveParams('type', 'verification_flow');
  if (type === undefined && flowId === undefined) throw missingParam('type');
  let options = readOptions(params) ?? {};
  if (flowId !== undefined) {
    const flow = ctx.verificationFlows[flowId];
    if (!flow) throw resourceMissing('verification_flow', flowId, 'verification_flow');
    if (params.options !== undefined) throw exclusiveParams('options', 'verification_flow');
    options = structuredClone(flow.options);
  }
  return {
    type: type ?? 'verification_flow',
    verification_flow: flowId ?? null,
    client_reference_id: optionalNullableString(params, 'client_reference_id') ?? null,
    metadata: applyMetadata({}, optionalMetadata(params) ?? {}),
    options,
    provided_details: readProvidedDetails(params) ?? null,
    related_customer: optionalNullableString(params, 'related_customer') ?? null,
    related_customer_account: optionalNullableString(params, 'related_customer_account') ?? null,
    related_person: readRelatedPerson(params),
    return_url: optionalNullableString(params, 'return_url') ?? null,
  };
}

function listSessions(ctx: EmulatorContext, request: ApiRequest): Reply {
  const { params } = request;
  assertKnownParams(params, LIST_PARAMS);
  const page = readPageParams(params);
  const created = readCreatedFilter(params);
  const status = oneOf('status', optionalString(params, 'status'), SESSION_STATUSES);
  const reference = optionalString(params, 'client_reference_id');
  const customer = optionalString(params, 'related_customer');
  const customerAccount = optionalString(params, 'related_customer_account');
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
        (customer === undefined || s.related_customer === customer) &&
        (customerAccount === undefined || s.related_customer_account === customerAccount),
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
}

function updateSession(ctx: EmulatorContext, request: ApiRequest): Reply {
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
  return json(renderFor(ctx, ctx.sessions.update(id, patch, requestInfo(request)), expand, request.keyKind));
}

export function readExpand(params: FormObject): string[] {
  return optionalStringArray(params, 'expand') ?? [];
}
