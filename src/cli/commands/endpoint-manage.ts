/**
 * `idv endpoint list|update|delete|rotate`. Stripe's v1 API cannot roll an endpoint's secret, so rotate
 * creates a second endpoint for the same URL: both sign every event, the service accepts either secret
 * (STRIPE_WEBHOOK_SECRET comma-separated) while the new one is deployed, then `delete` retires the old one.
 */
import {
  readEndpointApi,
  readEndpointRotate,
  readEndpointUpdate,
  type EndpointApiSettings,
} from '../../config/endpoint.js';
import type { Reader } from '../../config/reader.js';
import { STRIPE_API_VARIABLES } from '../../config/stripe-api.js';
import { IDENTITY_EVENT_TYPES } from '../../domain/terms.js';
import { defineCommand, type CommandContext } from '../command.js';
import {
  API_BASE_FLAG,
  apiFailure,
  createIdentityEndpoint,
  describeEndpoint,
  listEndpoints,
  openStripe,
  sameUrl,
} from './endpoint-api.js';

/** The one `we_…` argument of update and delete. */
function endpointId(args: readonly string[], fail: CommandContext<unknown>['fail']): string | number {
  const [id, ...rest] = args;
  if (id === undefined || rest.length > 0 || !id.startsWith('we_'))
    return fail('expected one endpoint id, we_… (idv endpoint list shows them)', 2);
  return id;
}

export const list = defineCommand({
  name: 'endpoint list',
  summary: 'list the webhook endpoints, saying which miss Identity events',
  flags: [API_BASE_FLAG],
  env: STRIPE_API_VARIABLES,
  settings: (read: Reader) => readEndpointApi(read),
  settingsErrorExit: 1,
  async run({ settings, stdout, fail }) {
    try {
      const endpoints = await listEndpoints(await openStripe(settings));
      stdout.write(
        endpoints.length === 0
          ? 'No webhook endpoints.\n'
          : `${endpoints.map(describeEndpoint).join('\n')}\n`,
      );
      return 0;
    } catch (err) {
      return fail(apiFailure(settings, 'list the endpoints', err));
    }
  },
});

export const update = defineCommand({
  name: 'endpoint update',
  summary: "change an endpoint's URL, description, status or events",
  args: '<we_…>',
  flags: [
    { name: 'url', value: 'URL', description: 'a new URL' },
    { name: 'description', value: 'TEXT', description: 'a new description' },
    { name: 'disable', description: 'stop deliveries to it' },
    { name: 'enable', description: 'resume deliveries to it' },
    { name: 'identity-events', description: 'set its events to the six Identity events' },
    API_BASE_FLAG,
  ],
  env: STRIPE_API_VARIABLES,
  settings: readEndpointUpdate,
  settingsErrorExit: 1,
  async run({ settings, args, stdout, fail }) {
    const id = endpointId(args, fail);
    if (typeof id === 'number') return id;
    const change = {
      ...(settings.url ? { url: settings.url } : {}),
      ...(settings.description !== undefined ? { description: settings.description } : {}),
      ...(settings.disabled !== undefined ? { disabled: settings.disabled } : {}),
      ...(settings.identityEvents ? { enabled_events: [...IDENTITY_EVENT_TYPES] } : {}),
    };
    if (Object.keys(change).length === 0)
      return fail(
        'nothing to change: give --url, --description, --disable, --enable or --identity-events',
        2,
      );
    try {
      const updated = await (await openStripe(settings)).webhookEndpoints.update(id, change);
      stdout.write(`Updated ${describeEndpoint(updated)}\n`);
      return 0;
    } catch (err) {
      return fail(apiFailure(settings, `update ${id}`, err));
    }
  },
});

export const remove = defineCommand({
  name: 'endpoint delete',
  summary: 'delete an endpoint (after a rotation: the old one)',
  args: '<we_…>',
  flags: [API_BASE_FLAG],
  env: STRIPE_API_VARIABLES,
  settings: (read: Reader) => readEndpointApi(read),
  settingsErrorExit: 1,
  async run({ settings, args, stdout, fail }) {
    const id = endpointId(args, fail);
    if (typeof id === 'number') return id;
    try {
      await (await openStripe(settings)).webhookEndpoints.del(id);
      stdout.write(`Deleted ${id}; remove its secret from STRIPE_WEBHOOK_SECRET.\n`);
      return 0;
    } catch (err) {
      return fail(apiFailure(settings, `delete ${id}`, err));
    }
  },
});

export const rotate = defineCommand({
  name: 'endpoint rotate',
  summary: 'start a secret rotation: a second endpoint for the URL, printing the new secret',
  flags: [
    { name: 'url', value: 'URL', description: 'the URL whose endpoint gets a new secret (required)' },
    { name: 'description', value: 'TEXT', description: "the new endpoint's description" },
    { name: 'connect', description: 'a Connect endpoint' },
    API_BASE_FLAG,
  ],
  env: STRIPE_API_VARIABLES,
  settings: readEndpointRotate,
  settingsErrorExit: 1,
  async run({ settings, stdout, fail }) {
    return rotateEndpoint(settings, stdout, fail);
  },
});

async function rotateEndpoint(
  settings: EndpointApiSettings & { url: string; description: string | undefined; connect: boolean },
  stdout: NodeJS.WritableStream,
  fail: CommandContext<unknown>['fail'],
): Promise<number> {
  try {
    const stripe = await openStripe(settings);
    const old = (await listEndpoints(stripe)).filter((e) => sameUrl(e.url, settings.url));
    if (old.length === 0)
      return fail(
        `${settings.url} has no endpoint to rotate; create one: idv endpoint create --url ${settings.url}`,
      );
    const created = await createIdentityEndpoint(stripe, settings);
    const oldIds = old.map((e) => e.id);
    stdout.write(
      [
        `Created webhook endpoint ${created.id} → ${created.url}, beside ${oldIds.join(', ')}.`,
        'Stripe now signs every event twice, once per endpoint. New signing secret (shown only once):',
        created.secret ?? '(none returned)',
        '',
        'Next:',
        `  1. Run every idv process with both secrets, the new one first:`,
        `       STRIPE_WEBHOOK_SECRET=${created.secret ?? 'whsec_new'},<the current secret>`,
        `  2. Once all of them run with it: ${oldIds.map((id) => `idv endpoint delete ${id}`).join('; ')}`,
        `  3. Then set STRIPE_WEBHOOK_SECRET=${created.secret ?? 'whsec_new'} alone.`,
        '',
      ].join('\n'),
    );
    return 0;
  } catch (err) {
    return fail(apiFailure(settings, 'rotate the endpoint', err));
  }
}
