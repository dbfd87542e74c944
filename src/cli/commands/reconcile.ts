/** `idv reconcile [--since 72h] [--db URL]`: pull missed Identity events from Stripe into the inbox. */
import { parseArgs, stringFlag } from '../args.js';
import { loadConfig } from '../../config/load.js';
import { IDENTITY_EVENT_TYPES } from '../../domain/terms.js';
import { openStore } from '../../main/open-store.js';
import { createStripeClient } from '../../stripe/client.js';
import { parseSince, reconcileEvents } from '../../worker/reconcile.js';
import { exitOnConfigError } from '../config-error.js';

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  let sinceSec: number;
  try {
    sinceSec = parseSince(stringFlag(args, 'since') ?? '72h');
  } catch (err) {
    process.stderr.write(`idv reconcile: ${(err as Error).message}\n`);
    return 1;
  }
  const rest = argv.filter(
    (a, i) => a !== '--since' && argv[i - 1] !== '--since' && !a.startsWith('--since='),
  );
  const config = exitOnConfigError(() => loadConfig(rest, process.env, { requireWebhookSecret: false }));
  if (typeof config === 'number') return config;
  if (!config.stripeSecretKey) {
    process.stderr.write('idv reconcile: STRIPE_SECRET_KEY is required (sk_… or rk_… with Events: Read)\n');
    return 2;
  }
  const stripe = createStripeClient({ secretKey: config.stripeSecretKey, apiBase: config.stripeApiBase });
  const store = await openStore(config.databaseUrl, { pgPoolSize: 2 });
  try {
    await store.migrate();
    const since = Math.floor(Date.now() / 1000) - sinceSec;
    process.stdout.write(`Fetching Identity events since ${new Date(since * 1000).toISOString()}…\n`);
    const events = stripe.events.list({
      types: [...IDENTITY_EVENT_TYPES],
      created: { gte: since },
      limit: 100,
    });
    const result = await reconcileEvents({
      events,
      store,
      acceptedMode: config.acceptedMode,
      onProgress: (p) => process.stdout.write(`  fetched ${p.fetched}, new ${p.inserted}\n`),
    });
    process.stdout.write(`Done: fetched ${result.fetched} event(s), ${result.inserted} new in the inbox.\n`);
    return 0;
  } catch (err) {
    process.stderr.write(`idv reconcile: ${(err as Error).message}\n`);
    return 1;
  } finally {
    await store.close();
  }
}
