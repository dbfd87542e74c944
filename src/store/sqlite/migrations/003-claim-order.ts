/**
 * Claim indexes that match the claim queries' ORDER BY, so claiming a batch reads only that batch instead of
 * sorting the whole backlog (measured: the claim was a third of the worker's time with 10,000 events queued).
 * events_object is dropped: no query reads it, and every receiver insert paid for it.
 */
export default {
  version: 3,
  name: 'claim-order',
  sql: `
    DROP INDEX events_due;
    CREATE INDEX events_due ON events (next_attempt_at, received_at, id) WHERE status IN ('pending', 'failed');
    DROP INDEX outbox_due;
    CREATE INDEX outbox_due ON outbox (next_attempt_at, id) WHERE status IN ('pending', 'failed');
    DROP INDEX events_object;
  `,
};
