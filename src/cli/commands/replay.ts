/**
 * `idv replay <evt_id>… | --dead`: puts stored events back to pending and processes them now, in this
 * process. A running service would pick them up too; leases keep the two from applying one event twice.
 */
import { REPLAY_VARIABLES, readReplay } from '../../config/operations.js';
import { DATABASE_FLAG } from '../../config/service.js';
import { defineCommand } from '../command.js';

export const replay = defineCommand({
  name: 'replay',
  summary: 'process stored events again: <evt_id>… or --dead',
  args: '<evt_id>…',
  flags: [{ name: 'dead', description: 'replay every dead event instead of the ids given' }, DATABASE_FLAG],
  env: REPLAY_VARIABLES,
  settings: readReplay,
  async run({ settings, args: ids, stdout, stderr, clock, fail }) {
    if ((ids.length === 0) === !settings.dead)
      return fail(
        'give event ids or --dead (not both)\nUsage: idv replay <evt_id>… | idv replay --dead [--db URL]',
      );
    const [{ createLogger }, { loadPolicy }, { openConfiguredStore }, { EventWorker }] = await Promise.all([
      import('../../main/logger.js'),
      import('../../main/load-policy.js'),
      import('../../main/open-store.js'),
      import('../../worker/event-worker.js'),
    ]);
    const policy = loadPolicy(settings.policyFile);
    const store = await openConfiguredStore({ ...settings, pgPoolSize: 2 });
    try {
      await store.migrate();
      const count = await store.requeueEvents(
        settings.dead ? { status: 'dead' } : { ids: [...ids] },
        clock(),
      );
      stdout.write(`Requeued ${count} event(s).\n`);
      const missing = !settings.dead && count < ids.length;
      if (missing) {
        stderr.write(
          'Some ids were not found or are not processed, failed or dead (pending and ignored events are not replayed).\n',
        );
      }
      const logger = createLogger(settings.logLevel, stderr);
      const worker = new EventWorker({ store, policy, logger, clock, ...settings.worker });
      let processed = 0;
      for (let claimed = await worker.runOnce(); claimed > 0; claimed = await worker.runOnce())
        processed += claimed;
      stdout.write(`Processed ${processed} event(s).\n`);
      return missing ? 1 : 0;
    } finally {
      await store.close();
    }
  },
});
