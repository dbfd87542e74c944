/**
 * Webhook delivery (reference §6): every event goes to every enabled endpoint whose `enabled_events`
 * selects it (`*` minus explicit-only types, §2.3) as `POST <url>` with the Event JSON, a `Stripe-Signature`
 * made with a fresh timestamp for each attempt (§5.1), and Stripe's observed headers. Anything but a 2xx
 * — a redirect, 4xx, 5xx, connection error or timeout — is retried on `retryScheduleMs`; a retry due while
 * the endpoint is disabled or deleted is dropped (§6 "Automatic retries").
 *
 * Each endpoint has its own FIFO queue, so a slow or dead receiver never holds up another endpoint; within
 * one endpoint the timeout bounds how long one event can hold up the next. `pending_webhooks` on the event
 * counts the endpoints still owed a 2xx (§4).
 */
import { signPayload } from '@idv-outcomes/stripe-identity/signature';
import type { Chaos } from './chaos.js';
import { unixSeconds } from './clock.js';
import { WEBHOOK_HEADERS, postWebhook } from './delivery-http.js';
import { endpointWants } from './event-types.js';
import type { EmulatedEvent } from './model.js';
import type { DeliveryAttempt, EmulatorState } from './state.js';
import type { TimerSet } from './timers.js';

export interface DelivererOptions {
  state: EmulatorState;
  clock: () => number;
  timers: TimerSet;
  chaos: Chaos;
  /** Wait before retry n (ms); its length is the number of retries. */
  retryScheduleMs: readonly number[];
  timeoutMs: number;
  onAttempt: (attempt: DeliveryAttempt) => void;
}

interface Job {
  eventId: string;
  endpointId: string;
  attempt: number;
  duplicate: boolean;
}

export class Deliverer {
  private readonly queues = new Map<string, Job[]>();
  private readonly busy = new Set<string>();
  private readonly succeeded = new Set<string>();
  private readonly aborter = new AbortController();
  private idleWaiters: Array<() => void> = [];
  private outstanding = 0;
  private closed = false;

  constructor(private readonly options: DelivererOptions) {}

  /** Fan an event out to its endpoints. Sets `pending_webhooks` to the number of targets. */
  publish(record: EmulatedEvent): void {
    const targets = [...this.options.state.endpoints.values()].filter(
      (endpoint) =>
        endpoint.status === 'enabled' &&
        // A Connect endpoint gets connected accounts' events only; the emulator's events are the platform's.
        !endpoint.connect &&
        endpointWants(endpoint.enabled_events, record.event.type),
    );
    record.event.pending_webhooks = targets.length;
    for (const endpoint of targets) {
      this.admit({ eventId: record.event.id, endpointId: endpoint.id, attempt: 1, duplicate: false });
      if (this.options.chaos.duplicate())
        this.admit({ eventId: record.event.id, endpointId: endpoint.id, attempt: 1, duplicate: true });
    }
  }

  /** Resolves once nothing is queued, in flight or waiting for a retry. */
  idle(): Promise<void> {
    if (this.outstanding === 0 || this.closed) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  close(): void {
    this.closed = true;
    this.aborter.abort();
    this.queues.clear();
    this.outstanding = 0;
    this.notifyIdle();
  }

  private admit(job: Job): void {
    this.outstanding++;
    const hold = this.options.chaos.reorderHoldMs();
    if (hold > 0) this.options.timers.schedule(() => this.enqueue(job), hold);
    else this.enqueue(job);
  }

  private enqueue(job: Job): void {
    if (this.closed) return;
    const queue = this.queues.get(job.endpointId) ?? [];
    queue.push(job);
    this.queues.set(job.endpointId, queue);
    // Deliver after the API answer that caused the event has gone out, as Stripe delivers asynchronously.
    setImmediate(() => this.pump(job.endpointId));
  }

  private pump(endpointId: string): void {
    if (this.closed || this.busy.has(endpointId)) return;
    const job = this.queues.get(endpointId)?.shift();
    if (!job) return;
    this.busy.add(endpointId);
    void this.run(job).finally(() => {
      this.busy.delete(endpointId);
      this.finish();
      this.pump(endpointId);
    });
  }

  private async run(job: Job): Promise<void> {
    const { state, clock, chaos, timers } = this.options;
    const delay = chaos.delayMs();
    if (delay > 0) await timers.sleep(delay);
    const endpoint = state.endpoints.get(job.endpointId);
    const record = state.events.get(job.eventId);
    if (this.closed || !endpoint || endpoint.status !== 'enabled' || !record) return;

    // Rendered in the endpoint's API version when it has one (reference §4 "data.object is … rendered in
    // the API version of the receiving endpoint"); the emulator has one shape, so only the label changes.
    const event = { ...record.event, api_version: endpoint.api_version ?? record.event.api_version };
    const body = JSON.stringify(event, null, 2);
    const headers = {
      ...WEBHOOK_HEADERS,
      'Stripe-Signature': signPayload(body, endpoint.secret, unixSeconds(clock)),
    };
    const result = await postWebhook(
      endpoint.url,
      body,
      headers,
      this.options.timeoutMs,
      this.aborter.signal,
    );
    if (this.closed) return;

    const ok = result.status !== null && result.status >= 200 && result.status < 300;
    const attempt: DeliveryAttempt = {
      eventId: job.eventId,
      eventType: record.event.type,
      endpointId: job.endpointId,
      attempt: job.attempt,
      duplicate: job.duplicate,
      status: result.status,
      error: result.error ?? (ok ? null : `HTTP ${result.status}`),
      ok,
      at: clock(),
    };
    state.deliveries.push(attempt);
    this.options.onAttempt(attempt);

    const key = `${job.eventId} ${job.endpointId}`;
    if (ok && !this.succeeded.has(key)) {
      this.succeeded.add(key);
      record.event.pending_webhooks = Math.max(0, record.event.pending_webhooks - 1);
    } else if (!ok && !job.duplicate) {
      const wait = this.options.retryScheduleMs[job.attempt - 1];
      if (wait !== undefined) {
        this.outstanding++;
        timers.schedule(() => this.enqueue({ ...job, attempt: job.attempt + 1 }), wait);
      }
    }
  }

  private finish(): void {
    this.outstanding = Math.max(0, this.outstanding - 1);
    if (this.outstanding === 0) this.notifyIdle();
  }

  private notifyIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
