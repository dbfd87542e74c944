/**
 * The validated, frozen configuration of the service (`idv serve`, library mode, the demo). Built only by
 * `readServiceConfig` (through `loadConfig` or library options); each part comes from its own loader.
 */
import type { DatabaseSettings } from './database.js';
import type { HttpSettings } from './http.js';
import type { DispatcherSettings, ReactionSettings } from './reactions.js';
import type { ModeSettings, StripeApiSettings } from './stripe-api.js';
import type { RetentionSettings } from './retention.js';
import type { TelemetrySettings } from './telemetry.js';
import type { WebhookSettings } from './webhook.js';
import type { LoopThreadMode, WorkerSettings } from './worker.js';

export { ROLES, type Role } from './http.js';
export type { HttpLimits, TrustProxy } from './http-limits.js';
export type { AcceptedMode } from './stripe-api.js';

export interface Config
  extends HttpSettings, DatabaseSettings, WebhookSettings, StripeApiSettings, ModeSettings, ReactionSettings {
  readonly policyFile: string | undefined;
  readonly logLevel: string;
  readonly worker: WorkerSettings;
  /** Whether `--role all` runs its worker and dispatcher on worker threads (main/loop-threads.ts). */
  readonly loopThreads: LoopThreadMode;
  readonly dispatcher: DispatcherSettings;
  readonly retention: RetentionSettings;
  /** OpenTelemetry traces (config/telemetry.ts); off without an OTLP endpoint. */
  readonly telemetry: TelemetrySettings;
  /** `IDV_RECONCILE_EVERY` in seconds (config/reconcile-schedule.ts); undefined: no scheduled reconcile. */
  readonly reconcileEverySec?: number | undefined;
}
