/**
 * `/v1/webhook_endpoints` (reference §7): the secret is returned only by create; `disabled` on update
 * switches `status`; delete answers `{id, object, deleted: true}`. At most 16 endpoints (§6).
 */
import { ApiError, invalidParam, missingParam, resourceMissing } from '../api-error.js';
import { unixSeconds } from '../clock.js';
import type { EmulatorContext } from '../context.js';
import type { FormObject } from '../form-body.js';
import { newId, newWebhookSecret } from '../ids.js';
import { PAGE_PARAM_NAMES, paginate, readPageParams } from '../list-page.js';
import type { EmulatedEndpoint } from '../model.js';
import {
  applyMetadata,
  assertKnownParams,
  optionalBoolean,
  optionalMetadata,
  optionalNullableString,
  optionalString,
  optionalStringArray,
} from '../params.js';
import { type Router, json } from '../router.js';

const BASE = '/v1/webhook_endpoints';
const MAX_ENDPOINTS = 16;
const EVENT_NAME = /^[a-z0-9_]+(\.[a-z0-9_]+)+$/;

export function registerWebhookEndpointRoutes(router: Router, ctx: EmulatorContext): void {
  const find = (id: string): EmulatedEndpoint => {
    const endpoint = ctx.state.endpoints.get(id);
    if (!endpoint) throw resourceMissing('webhook_endpoint', id);
    return endpoint;
  };

  router.add('POST', BASE, (request) => json(createEndpoint(ctx, request.params)));

  router.add('GET', BASE, (request) => {
    assertKnownParams(request.params, [...PAGE_PARAM_NAMES]);
    const page = readPageParams(request.params);
    const listed = paginate(
      ctx.state.endpointsNewestFirst(),
      page,
      BASE,
      (e) => e.seq,
      (id) => ctx.state.endpoints.get(id)?.seq,
      'webhook_endpoint',
    );
    return json({ ...listed, data: listed.data.map(renderEndpoint) });
  });

  router.add('GET', `${BASE}/:id`, (request) => json(renderEndpoint(find(request.pathParams.id!))));

  router.add('POST', `${BASE}/:id`, (request) => {
    const { params } = request;
    assertKnownParams(params, ['url', 'enabled_events', 'description', 'disabled', 'metadata', 'expand']);
    const current = find(request.pathParams.id!);
    const next: EmulatedEndpoint = { ...current };
    const url = readUrl(params);
    if (url !== undefined) next.url = url;
    const enabledEvents = readEnabledEvents(params);
    if (enabledEvents !== undefined) next.enabled_events = enabledEvents;
    const description = optionalNullableString(params, 'description');
    if (description !== undefined) next.description = description;
    const metadata = optionalMetadata(params);
    if (metadata !== undefined) next.metadata = applyMetadata(current.metadata, metadata);
    const disabled = optionalBoolean(params, 'disabled');
    if (disabled !== undefined) next.status = disabled ? 'disabled' : 'enabled';
    ctx.state.endpoints.set(next.id, next);
    return json(renderEndpoint(next));
  });

  router.add('DELETE', `${BASE}/:id`, (request) => {
    const endpoint = find(request.pathParams.id!);
    ctx.state.endpoints.delete(endpoint.id);
    return json({ id: endpoint.id, object: 'webhook_endpoint', deleted: true });
  });
}

export function renderEndpoint(endpoint: EmulatedEndpoint): Record<string, unknown> {
  return {
    id: endpoint.id,
    object: 'webhook_endpoint',
    api_version: endpoint.api_version,
    application: null,
    created: endpoint.created,
    description: endpoint.description,
    enabled_events: [...endpoint.enabled_events],
    livemode: false,
    metadata: { ...endpoint.metadata },
    status: endpoint.status,
    url: endpoint.url,
  };
}

function readUrl(params: FormObject): string | undefined {
  const url = optionalString(params, 'url');
  if (url === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalidParam('url', `Invalid URL: ${url}`, 'url_invalid');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw invalidParam('url', `Invalid URL: ${url}`, 'url_invalid');
  return url;
}

function readEnabledEvents(params: FormObject): string[] | undefined {
  const events = optionalStringArray(params, 'enabled_events');
  if (events === undefined) return undefined;
  if (events.length === 0)
    throw invalidParam('enabled_events', 'enabled_events must contain at least one event type.');
  events.forEach((name, i) => {
    if (name !== '*' && !EVENT_NAME.test(name))
      throw invalidParam(
        `enabled_events[${i}]`,
        `Invalid enabled_events[${i}]: ${name} is not an event type.`,
      );
  });
  return [...new Set(events)];
}

/** The secret is answered once, at create (reference §7). */
function createEndpoint(ctx: EmulatorContext, params: FormObject): Record<string, unknown> {
  assertKnownParams(params, [
    'url',
    'enabled_events',
    'api_version',
    'connect',
    'description',
    'metadata',
    'expand',
  ]);
  const url = readUrl(params);
  if (url === undefined) throw missingParam('url');
  const enabledEvents = readEnabledEvents(params);
  if (enabledEvents === undefined) throw missingParam('enabled_events');
  const connect = optionalBoolean(params, 'connect') ?? false;
  if (ctx.state.endpoints.size >= MAX_ENDPOINTS) {
    throw new ApiError(
      400,
      'invalid_request_error',
      `You have reached the maximum of ${MAX_ENDPOINTS} test webhook endpoints.`,
      'webhook_endpoint_limit_reached',
    );
  }
  const endpoint: EmulatedEndpoint = {
    id: newId('we'),
    seq: ctx.state.nextSeq(),
    created: unixSeconds(ctx.clock),
    url,
    enabled_events: enabledEvents,
    api_version: optionalNullableString(params, 'api_version') ?? null,
    description: optionalNullableString(params, 'description') ?? null,
    metadata: applyMetadata({}, optionalMetadata(params) ?? {}),
    status: 'enabled',
    secret: newWebhookSecret(),
    connect,
  };
  ctx.state.endpoints.set(endpoint.id, endpoint);
  return { ...renderEndpoint(endpoint), secret: endpoint.secret };
}
