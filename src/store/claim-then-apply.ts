/**
 * The two-step worker round: lease due events, prepare each, apply the prepared ones. PostgreSQL always
 * takes it (other workers share the table, so a lease must be committed before the work); SQLite takes it
 * when its one-transaction round failed and each event must run on its own.
 */
import type { ClaimOptions, EventApplier } from './store.js';
import type { ApplyOutcome, DueEventResult, EventToApply, PrepareEvent } from './records.js';

type Steps = Pick<EventApplier, 'claimEvents' | 'applyEvents'>;

export async function claimThenApply(
  store: Steps,
  options: ClaimOptions,
  prepare: PrepareEvent,
): Promise<DueEventResult[]> {
  const claimed = await store.claimEvents(options);
  const results: DueEventResult[] = [];
  const prepared: { at: number; item: EventToApply }[] = [];
  for (const event of claimed) {
    try {
      prepared.push({ at: results.length, item: prepare(event) });
      results.push({ event, outcome: 'applied' });
    } catch (err) {
      results.push({ event, outcome: { unprepared: asError(err) } });
    }
  }
  if (prepared.length === 0) return results;
  let outcomes: ApplyOutcome[];
  try {
    outcomes = await store.applyEvents(
      prepared.map((p) => p.item),
      options.now,
    );
  } catch (err) {
    // The batch never reached the database (connection lost): every prepared event failed this try.
    outcomes = prepared.map(() => ({ error: asError(err) }));
  }
  for (const [i, outcome] of outcomes.entries()) results[prepared[i]!.at]!.outcome = outcome;
  return results;
}

export function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
