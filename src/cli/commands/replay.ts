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
      // Every id is looked up first, so an unknown one is named instead of silently counted out.
      const problems: string[] = [];
      const replayable: string[] = [];
      for (const id of ids) {
        const event = await store.getEvent(id);
        if (!event) problems.push(`${id}: no such event`);
        else if (event.status === 'pending' || event.status === 'ignored')
          problems.push(`${id}: ${event.status}; only processed, failed or dead events are replayed`);
        else replayable.push(id);
      }
      for (const problem of problems) stderr.write(`idv replay: ${problem}\n`);
      const count =
        settings.dead || replayable.length > 0
          ? await store.requeueEvents(settings.dead ? { status: 'dead' } : { ids: replayable }, clock())
          : 0;
      if (count === 0) {
        // Nothing was put back: processing now would only run other pending work and report it as ours.
        stdout.write(settings.dead ? 'No dead events.\n' : 'No event replayed.\n');
        return problems.length > 0 ? 1 : 0;
      }
      stdout.write(`Requeued ${count} event(s).\n`);
      const logger = createLogger(settings.logLevel, stderr);
      const worker = new EventWorker({ store, policy, logger, clock, ...settings.worker });
      let processed = 0;
      for (let claimed = await worker.runOnce(); claimed > 0; claimed = await worker.runOnce())
        processed += claimed;
      const others = processed > count ? ` (and ${processed - count} other pending)` : '';
      stdout.write(`Processed ${Math.min(processed, count)} event(s)${others}.\n`);
      return problems.length > 0 ? 1 : 0;
    } finally {
      await store.close();
    }
  },
});
