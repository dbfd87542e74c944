/**
 * `startEmulator({ stateFile })`: the account survives a restart. Sessions, reports, events and endpoints
 * are read from the file at start and written back (to a temporary file, then renamed, so a crash leaves
 * the old or the new state, never half of one) after every request and at close. Delivery attempts are
 * diagnostics and are not kept; a delivery or redaction waiting on a timer when the process stops is not
 * resumed. Without this, a caller that keeps its own data (idv demo's ./data) would hold sessions the
 * restarted emulator answers `No such verification_session` for.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { EmulatedEndpoint, EmulatedEvent, EmulatedReport, EmulatedSession } from './model.js';
import type { EmulatorState } from './state.js';

interface Snapshot {
  version: 1;
  seq: number;
  sessions: EmulatedSession[];
  reports: EmulatedReport[];
  events: EmulatedEvent[];
  endpoints: EmulatedEndpoint[];
}

export function loadState(state: EmulatorState, file: string): void {
  if (!existsSync(file)) return;
  let snapshot: Snapshot;
  try {
    snapshot = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  } catch (err) {
    throw new Error(`emulator state file ${file} cannot be read: ${(err as Error).message}`, {
      cause: err,
    });
  }
  if (snapshot.version !== 1) throw new Error(`emulator state file ${file}: unknown version`);
  for (const s of snapshot.sessions) state.sessions.set(s.id, s);
  for (const r of snapshot.reports) state.reports.set(r.id, r);
  for (const e of snapshot.events) state.events.set(e.event.id, e);
  for (const e of snapshot.endpoints) state.endpoints.set(e.id, e);
  state.restoreSeq(snapshot.seq);
}

export function saveState(state: EmulatorState, file: string): void {
  const snapshot: Snapshot = {
    version: 1,
    seq: state.currentSeq(),
    sessions: [...state.sessions.values()],
    reports: [...state.reports.values()],
    events: [...state.events.values()],
    endpoints: [...state.endpoints.values()],
  };
  const temporary = `${file}.tmp`;
  writeFileSync(temporary, JSON.stringify(snapshot), { mode: 0o600 });
  renameSync(temporary, file);
}
