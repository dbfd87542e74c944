/**
 * `idv endpoint create --url URL [--api-base URL] [--description TEXT]`: registers the webhook endpoint at
 * Stripe, or at the emulator when an API base is given (`--api-base` or `STRIPE_API_BASE`), with the six
 * Identity events listed explicitly — `*` would not include `identity.verification_session.redacted`
 * (reference §2.3) — and prints the signing secret, which Stripe returns only at creation (§7).
 */
import Stripe from 'stripe';
import { createStripeClient } from '../../stripe/client.js';
import { parseArgs, stringFlag } from '../args.js';
import { IDENTITY_EVENT_TYPES } from '../../domain/terms.js';

export interface EndpointCommandDeps {
  env?: NodeJS.ProcessEnv;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
}

/** Any `sk_test_` key works against the emulator (packages/emulator/src/http-io.ts). */
const EMULATOR_KEY = 'sk_test_idv_emulator';
const USAGE = 'Usage: idv endpoint create --url URL [--api-base URL] [--description TEXT]\n';

export async function run(argv: string[], deps: EndpointCommandDeps = {}): Promise<number> {
  const env = deps.env ?? process.env;
  const stdout = deps.stdout ?? process.stdout;
  const stderr = deps.stderr ?? process.stderr;
  const fail = (message: string): number => {
    stderr.write(`idv endpoint: ${message}\n`);
    return 1;
  };

  let url: string | undefined;
  let apiBase: string | undefined;
  let description: string | undefined;
  try {
    const args = parseArgs(argv);
    const [sub, ...extra] = args.positionals;
    if (args.flags.help === true) {
      stdout.write(USAGE);
      return 0;
    }
    if (sub !== 'create')
      return fail(`${sub === undefined ? 'missing subcommand' : `unknown subcommand "${sub}"`}\n${USAGE}`);
    if (extra.length > 0) return fail(`unexpected argument "${extra[0]}"`);
    const unknown = Object.keys(args.flags).find(
      (name) => !['url', 'api-base', 'description'].includes(name),
    );
    if (unknown) return fail(`unknown flag --${unknown}\n${USAGE}`);
    url = stringFlag(args, 'url');
    apiBase = stringFlag(args, 'api-base') ?? (env.STRIPE_API_BASE || undefined);
    description = stringFlag(args, 'description');
  } catch (err) {
    return fail((err as Error).message);
  }
  if (!url) return fail(`--url is required\n${USAGE}`);

  const key = env.STRIPE_SECRET_KEY || (apiBase ? EMULATOR_KEY : undefined);
  if (!key)
    return fail('no API key: set STRIPE_SECRET_KEY (or point --api-base / STRIPE_API_BASE at the emulator)');

  let stripe: Stripe;
  try {
    stripe = createStripeClient({ secretKey: key, apiBase });
  } catch (err) {
    return fail((err as Error).message);
  }
  try {
    const endpoint = await stripe.webhookEndpoints.create({
      url,
      enabled_events: [...IDENTITY_EVENT_TYPES],
      // Pin payloads to the version this build's types describe (reference §7 "Good practice").
      api_version: Stripe.API_VERSION,
      ...(description ? { description } : {}),
    });
    stdout.write(
      [
        `Created webhook endpoint ${endpoint.id} → ${endpoint.url}`,
        `  events: ${endpoint.enabled_events.join(', ')}`,
        `Signing secret (shown only once; set it as STRIPE_WEBHOOK_SECRET):`,
        endpoint.secret ?? '(none returned)',
        '',
      ].join('\n'),
    );
    return 0;
  } catch (err) {
    return fail(`could not create the endpoint${apiBase ? ` at ${apiBase}` : ''}: ${(err as Error).message}`);
  }
}
