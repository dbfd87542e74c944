/**
 * Everything the emulator remembers, in memory, for one emulator instance. Tests read it directly
 * (`emulator.state`) to assert on what stripe-node cannot see, such as delivery attempts.
 */
import type { EmulatedEndpoint, EmulatedEvent, EmulatedReport, EmulatedSession } from './model.js';

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
  readonly sessions = new Map<string, EmulatedSession>();
  readonly reports = new Map<string, EmulatedReport>();
  readonly events = new Map<string, EmulatedEvent>();
  readonly endpoints = new Map<string, EmulatedEndpoint>();
  readonly deliveries: DeliveryAttempt[] = [];
  private seq = 0;

  nextSeq(): number {
    return ++this.seq;
  }

  currentSeq(): number {
    return this.seq;
  }

  /** After loading a saved state (state-file.ts): new records keep sorting after the saved ones. */
  restoreSeq(seq: number): void {
    this.seq = Math.max(this.seq, seq);
  }

  /** Events newest first. */
  eventsNewestFirst(): EmulatedEvent[] {
    return [...this.events.values()].sort((a, b) => b.seq - a.seq);
  }

  sessionsNewestFirst(): EmulatedSession[] {
    return [...this.sessions.values()].sort((a, b) => b.seq - a.seq);
  }

  reportsNewestFirst(): EmulatedReport[] {
    return [...this.reports.values()].sort((a, b) => b.seq - a.seq);
  }

  endpointsNewestFirst(): EmulatedEndpoint[] {
    return [...this.endpoints.values()].sort((a, b) => b.seq - a.seq);
  }

  eventsForSession(sessionId: string): EmulatedEvent[] {
    return [...this.events.values()]
      .filter((record) => record.event.data.object.id === sessionId)
      .sort((a, b) => a.seq - b.seq);
  }
}
