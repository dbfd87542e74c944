/** What every route needs, built once by server.ts. */
import type { Deliverer } from './delivery.js';
import type { RequestInfo, EmulatedSession } from './model.js';
import type { VerificationFlow } from './options.js';
import type { ApiRequest } from './router.js';
import { type KeyKind, renderSession } from './session-render.js';
import type { SessionService } from './sessions.js';
import type { EmulatorState } from './state.js';

export interface EmulatorContext {
  state: EmulatorState;
  sessions: SessionService;
  deliverer: Deliverer;
  clock: () => number;
  /** `http://host:port` as seen by clients; known only once the server listens. */
  baseUrl: () => string;
  verificationFlows: Readonly<Record<string, VerificationFlow>>;
}

export function requestInfo(request: ApiRequest): RequestInfo {
  return { id: request.requestId, idempotency_key: request.idempotencyKey };
}

export function renderFor(
  ctx: EmulatorContext,
  session: EmulatedSession,
  expand: readonly string[],
  keyKind: KeyKind,
): Record<string, unknown> {
  return renderSession(session, {
    baseUrl: ctx.baseUrl(),
    expand,
    keyKind,
    findReport: (id) => ctx.state.reports.get(id),
  });
}
