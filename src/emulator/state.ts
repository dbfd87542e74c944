/**
 * Everything the emulator remembers, in memory, for one emulator instance. Tests read it directly
 * (`emulator.state`) to assert on what stripe-node cannot see, such as delivery attempts.
 */
import type { EndpointRecord, EventRecord, ReportRecord, SessionRecord } from './model.js';

export interface DeliveryAttempt {
  eventId: string;
  eventType: string;
  endpointId: string;
  /** 1 for the first try of this copy, 2 for its first retry, … */
  attempt: number;
  /** True for the extra copy chaos `duplicate` sent. */
  duplicate: boolean;
  status: number | null;
  error: string | null;
  ok: boolean;
  at: number;
}

export class EmulatorState {
  readonly sessions = new Map<string, SessionRecord>();
  readonly reports = new Map<string, ReportRecord>();
  readonly events = new Map<string, EventRecord>();
  readonly endpoints = new Map<string, EndpointRecord>();
  readonly deliveries: DeliveryAttempt[] = [];
  private seq = 0;

  nextSeq(): number {
    return ++this.seq;
  }

  /** Events newest first. */
  eventsNewestFirst(): EventRecord[] {
    return [...this.events.values()].sort((a, b) => b.seq - a.seq);
  }

  sessionsNewestFirst(): SessionRecord[] {
    return [...this.sessions.values()].sort((a, b) => b.seq - a.seq);
  }

  endpointsNewestFirst(): EndpointRecord[] {
    return [...this.endpoints.values()].sort((a, b) => b.seq - a.seq);
  }

  eventsForSession(sessionId: string): EventRecord[] {
    return [...this.events.values()]
      .filter((record) => record.event.data.object.id === sessionId)
      .sort((a, b) => a.seq - b.seq);
  }
}
