/**
 * `idv endpoint create --url URL [--api-base URL] [--description TEXT] [--connect]`: registers the webhook endpoint at
 * Stripe, or at the emulator when an API base is given (`--api-base` or `STRIPE_API_BASE`), with the six
 * Identity events listed explicitly — `*` would not include `identity.verification_session.redacted`
 * (reference §2.3) — and prints the signing secret, which Stripe returns only at creation (§7). `--connect`
 * registers a Connect endpoint (`connect: true`, §7): it receives the events of connected accounts, each
 * with `account`, and has its own signing secret.
 */
import { readEndpoint } from '../../config/endpoint.js';
import { STRIPE_API_VARIABLES } from '../../config/stripe-api.js';
import { IDENTITY_EVENT_TYPES } from '../../domain/terms.js';
import { defineCommand, defineGroup } from '../command.js';

const create = defineCommand({
  name: 'endpoint create',
  summary: 'register the webhook endpoint with the six Identity events and print its secret once',
  flags: [
    { name: 'url', value: 'URL', description: 'where Stripe posts the events (required)' },
    {
      name: 'api-base',
      value: 'URL',
      env: 'STRIPE_API_BASE',
      description: 'another Stripe API base, e.g. the emulator (no key needed there)',
    },
    { name: 'description', value: 'TEXT', description: "the endpoint's description at Stripe" },
    { name: 'connect', description: 'a Connect endpoint: events of connected accounts (each with account)' },
  ],
  env: STRIPE_API_VARIABLES,
  settings: readEndpoint,
  settingsErrorExit: 1,
  async run({ settings, stdout, fail }) {
    // Loaded here, not at the top: listing commands must not load stripe-node.
    const [{ default: Stripe }, { createStripeClient }] = await Promise.all([
      import('stripe'),
      import('../../stripe/client.js'),
    ]);
    const stripe = createStripeClient({ secretKey: settings.secretKey, apiBase: settings.apiBase });
    try {
      const endpoint = await stripe.webhookEndpoints.create({
        url: settings.url,
        enabled_events: [...IDENTITY_EVENT_TYPES],
        // Pin payloads to the version this build's types describe (reference §7 "Good practice").
        api_version: Stripe.API_VERSION,
        ...(settings.description ? { description: settings.description } : {}),
        ...(settings.connect ? { connect: true } : {}),
      });
      stdout.write(
        [
          `Created ${settings.connect ? 'Connect ' : ''}webhook endpoint ${endpoint.id} → ${endpoint.url}`,
          `  events: ${endpoint.enabled_events.join(', ')}`,
          `Signing secret (shown only once; set it as STRIPE_WEBHOOK_SECRET):`,
          endpoint.secret ?? '(none returned)',
          '',
        ].join('\n'),
      );
      return 0;
    } catch (err) {
      const at = settings.apiBase ? ` at ${settings.apiBase}` : '';
      return fail(`could not create the endpoint${at}: ${(err as Error).message}`);
    }
  },
});

export const endpoint = defineGroup({
  name: 'endpoint',
  summary: 'register the webhook endpoint and print its secret',
  subcommands: [create],
});
