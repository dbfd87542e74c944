/** Row shapes shared by both adapters (the Store interface speaks in these, never in SQL rows). */

/** Exactly the statuses of DESIGN.md "Interfaces"; a leased event stays `pending` while a worker holds it. */
export const EVENT_STATUSES = ['pending', 'processed', 'ignored', 'failed', 'dead'] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];

export interface NewEvent {
  id: string;
  type: string;
  livemode: boolean;
  /** Stripe's `created`, Unix seconds. */
  created: number;
  /** `data.object.id` (the vs_… for Identity events), when present. */
  objectId: string | null;
  status: 'pending' | 'ignored';
  ignoredReason: string | null;
  /** The raw body exactly as received and verified. */
  payload: string;
  receivedAt: number;
}

export interface EventRecord {
  id: string;
  type: string;
  livemode: boolean;
  created: number;
  objectId: string | null;
  status: EventStatus;
  ignoredReason: string | null;
  attempts: number;
  receivedAt: number;
  processedAt: number | null;
  lastError: string | null;
}

export interface ClaimedEvent extends EventRecord {
  payload: string;
  leaseOwner: string;
}

export interface EventFailure {
  id: string;
  owner: string;
  error: string;
  now: number;
  /** When to try again; null marks the event dead. */
  retryAt: number | null;
}
