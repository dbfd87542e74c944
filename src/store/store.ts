/**
 * The Store: the only door to persistent state. Two adapters (sqlite/, postgres/) implement it with identical
 * behaviour, proven by the contract suite in test/contract/. Every method is atomic; anything that must change
 * several tables at once is one method (one transaction), so callers never hold a transaction open across
 * awaits. All times are milliseconds since the Unix epoch.
 */
import type { EventRecord, EventStatus, NewEvent, ClaimedEvent, EventFailure } from './records.js';

export type { EventRecord, EventStatus, NewEvent, ClaimedEvent, EventFailure };

export interface ListEventsQuery {
  status?: EventStatus | undefined;
  limit: number;
  /** Id of the last event of the previous page (newest-first order). */
  startingAfter?: string | undefined;
}

export interface Page<T> {
  data: T[];
  hasMore: boolean;
}

export interface ClaimOptions {
  owner: string;
  limit: number;
  leaseMs: number;
  now: number;
}

export interface Store {
  readonly kind: 'sqlite' | 'postgres';

  /** Applies pending migrations (idempotent, safe when several processes start at once). */
  migrate(): Promise<{ applied: string[] }>;
  /** Resolves when the store can answer queries; rejects otherwise (used by /readyz). */
  ping(): Promise<void>;
  close(): Promise<void>;

  // Inbox (receiver path)
  /** Resolves only once the row is durable. `inserted: false` means the id was already stored. */
  insertEvent(event: NewEvent): Promise<{ inserted: boolean }>;
  getEvent(id: string): Promise<EventRecord | null>;
  listEvents(query: ListEventsQuery): Promise<Page<EventRecord>>;

  // Inbox (worker path)
  /** Leases due pending/failed events (oldest first), including ones whose lease expired. */
  claimEvents(options: ClaimOptions): Promise<ClaimedEvent[]>;
  /** Records a failed try: back to `failed` with a retry time, or `dead` when attempts are used up. */
  failEvent(failure: EventFailure): Promise<void>;
  /** Puts processed, failed or dead events back to pending (replay). Returns how many were reset. */
  requeueEvents(selector: { ids: string[] } | { status: 'dead' }, now: number): Promise<number>;
}
