/** `idv reconcile [--since 72h] [--delivery-success false] [--db URL]`: pull missed Identity events from Stripe into the inbox. */
import { RECONCILE_VARIABLES, readReconcile } from '../../config/operations.js';
import { DATABASE_FLAG } from '../../config/service.js';
import { defineCommand } from '../command.js';
import { createReconcileProgress, type ProgressStream } from '../reconcile-progress.js';

export const reconcile = defineCommand({
  name: 'reconcile',
  summary: 'pull missed Identity events from Stripe into the inbox',
  details:
    'Duplicates are ignored, so running it twice, or while Stripe still retries, is harmless. On a terminal it shows a progress bar.',
  flags: [
    {
      name: 'since',
      value: 'DURATION',
      description: 'how far back to look: 72h, 30m, 7d (Stripe keeps events 30 days)',
    },
    {
      name: 'delivery-success',
      value: 'true|false',
      description: 'false: only events whose delivery to some endpoint failed or is still pending',
    },
    DATABASE_FLAG,
  ],
  env: RECONCILE_VARIABLES,
  settings: readReconcile,
  async run({ settings, stdout, clock, fail }) {
    const [{ openConfiguredStore }, { createStripeClient }, { reconcileEvents, identityEventsSince }] =
      await Promise.all([
        import('../../main/open-store.js'),
        import('../../stripe/client.js'),
        import('../../worker/reconcile.js'),
      ]);
    const stripe = createStripeClient({
      secretKey: settings.stripeSecretKey,
      apiBase: settings.stripeApiBase,
    });
    // Like the receiver, reconcile stores payloads encrypted when a key is configured.
    const store = await openConfiguredStore({ ...settings, pgPoolSize: 2 });
    try {
      await store.migrate();
      const since = Math.floor(clock() / 1000) - settings.sinceSec;
      stdout.write(`Fetching Identity events since ${new Date(since * 1000).toISOString()}…\n`);
      const events = identityEventsSince(stripe, since, settings.deliverySuccess);
      const display = createReconcileProgress(stdout as ProgressStream, {
        sinceSec: since,
        untilSec: Math.floor(clock() / 1000),
        clock,
      });
      const result = await reconcileEvents({
        events,
        store,
        acceptedMode: settings.acceptedMode,
        clock,
        onProgress: (p) => display.update(p),
      });
      display.finish(result);
      stdout.write(`Done: fetched ${result.fetched} event(s), ${result.inserted} new in the inbox.\n`);
      return 0;
    } catch (err) {
      return fail((err as Error).message);
    } finally {
      await store.close();
    }
  },
});
