/**
 * `idv endpoint create --url URL [--api-base URL] [--description TEXT] [--connect] [--replace]`: registers
 * the webhook endpoint at Stripe, or at the emulator when an API base is given (`--api-base` or
 * `STRIPE_API_BASE`), with the six Identity events listed explicitly, and prints the signing secret, which
 * Stripe returns only at creation (§7). A second endpoint for the same URL would sign with a second secret
 * that the running service does not know, so every delivery to it would fail: create refuses, and
 * `--replace` deletes the old one once the new one exists. `--connect` registers a Connect endpoint
 * (`connect: true`, §7): it receives the events of connected accounts, each with `account`, and has its
 * own signing secret. list, update, delete and rotate are in endpoint-manage.ts.
 */
import { readEndpoint } from '../../config/endpoint.js';
import { STRIPE_API_VARIABLES } from '../../config/stripe-api.js';
import { defineCommand, defineGroup } from '../command.js';
import {
  API_BASE_FLAG,
  apiFailure,
  createIdentityEndpoint,
  listEndpoints,
  openStripe,
  sameUrl,
} from './endpoint-api.js';
import { remove, list, rotate, update } from './endpoint-manage.js';

const create = defineCommand({
  name: 'endpoint create',
  summary: 'register the webhook endpoint with the six Identity events and print its secret once',
  flags: [
    { name: 'url', value: 'URL', description: 'where Stripe posts the events (required)' },
    API_BASE_FLAG,
    { name: 'description', value: 'TEXT', description: "the endpoint's description at Stripe" },
    { name: 'connect', description: 'a Connect endpoint: events of connected accounts (each with account)' },
    { name: 'replace', description: 'delete the endpoint(s) already registered for the URL' },
  ],
  env: STRIPE_API_VARIABLES,
  settings: readEndpoint,
  settingsErrorExit: 1,
  async run({ settings, stdout, fail }) {
    const stripe = await openStripe(settings);
    try {
      const existing = (await listEndpoints(stripe)).filter((e) => sameUrl(e.url, settings.url));
      if (existing.length > 0 && !settings.replace) {
        const ids = existing.map((e) => e.id).join(', ');
        return fail(
          [
            `${settings.url} already has an endpoint (${ids}); a second one would sign with a secret the service does not know.`,
            `  idv endpoint rotate --url ${settings.url}    a new secret, with both accepted during the change`,
            `  idv endpoint create --url ${settings.url} --replace    delete ${ids} and create a new one`,
            `  idv endpoint list    every endpoint`,
          ].join('\n'),
        );
      }
      const endpoint = await createIdentityEndpoint(stripe, settings);
      for (const old of existing) await stripe.webhookEndpoints.del(old.id);
      stdout.write(
        [
          `Created ${settings.connect ? 'Connect ' : ''}webhook endpoint ${endpoint.id} → ${endpoint.url}`,
          `  events: ${endpoint.enabled_events.join(', ')}`,
          ...existing.map((old) => `Deleted ${old.id}, which had the same URL.`),
          `Signing secret (shown only once; set it as STRIPE_WEBHOOK_SECRET):`,
          endpoint.secret ?? '(none returned)',
          '',
        ].join('\n'),
      );
      return 0;
    } catch (err) {
      return fail(apiFailure(settings, 'create the endpoint', err));
    }
  },
});

export const endpoint = defineGroup({
  name: 'endpoint',
  summary: 'register, list, change, delete the webhook endpoint or rotate its secret',
  subcommands: [create, list, update, remove, rotate],
});
