/**
 * `idv replay <evt_id>… | --dead`: puts stored events back to pending and processes them now, in this
 * process. A running service would pick them up too; leases keep the two from applying one event twice.
 */
import { parseArgs } from '../args.js';
import { loadConfig } from '../../config/load.js';
import { createLogger } from '../../main/logger.js';
import { loadPolicy } from '../../main/load-policy.js';
import { openConfiguredStore } from '../../main/open-store.js';
import { EventWorker } from '../../worker/event-worker.js';
import { exitOnConfigError } from '../config-error.js';

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ['dead']);
  const ids = args.positionals;
  const dead = args.flags.dead === true;
  if ((ids.length === 0) === !dead) {
    process.stderr.write('Usage: idv replay <evt_id>… | idv replay --dead [--db URL]\n');
    return 1;
  }
  const rest = argv.filter((a) => a !== '--dead' && !ids.includes(a));
  const config = exitOnConfigError(() => loadConfig(rest, process.env, { requireWebhookSecret: false }));
  if (typeof config === 'number') return config;
  const store = await openConfiguredStore({ ...config, pgPoolSize: 2 });
  try {
    await store.migrate();
    const now = Date.now();
    const count = await store.requeueEvents(dead ? { status: 'dead' } : { ids }, now);
    process.stdout.write(`Requeued ${count} event(s).\n`);
    if (!dead && count < ids.length) {
      process.stderr.write(
        'Some ids were not found or are not processed, failed or dead (pending and ignored events are not replayed).\n',
      );
    }
    const worker = new EventWorker({
      store,
      policy: loadPolicy(config.policyFile),
      logger: createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel, process.stderr),
      ...config.worker,
    });
    let processed = 0;
    for (let claimed = await worker.runOnce(); claimed > 0; claimed = await worker.runOnce())
      processed += claimed;
    process.stdout.write(`Processed ${processed} event(s).\n`);
    return !dead && count < ids.length ? 1 : 0;
  } finally {
    await store.close();
  }
}
