/**
 * The local Stripe Identity emulator (DESIGN.md "Test offline"): `startEmulator` for tests and
 * `idv emulator`, and the event builder `idv trigger` shares. The demo's mail sink is a separate entry,
 * `@idv-outcomes/emulator/mail-sink`, so that importing the emulator does not load an SMTP stack.
 */
export { startEmulator, type Emulator } from './server.js';
export type { EmulatorOptions, VerificationFlow } from './options.js';
export { DEFAULT_DELIVERY_RETRY_SCHEDULE_MS, DEFAULT_PORT, DEFAULT_HOST } from './options.js';
export { parseChaosList, type ChaosOptions } from './chaos.js';
export type { DeliveryAttempt, EmulatorState } from './state.js';
export { buildEvent, buildTriggerEvent, DEFAULT_API_VERSION } from './event-builder.js';
export {
  IDENTITY_EVENT_TYPES,
  resolveIdentityEventType,
  endpointWants,
  type IdentityEventType,
} from './event-types.js';
export { FAILURE_CODES, FAILURE_REASONS, DEFAULT_FAILURE_CODE, reasonFor } from './error-codes.js';
export type { EventObject } from './model.js';
export { sendSignedEvent, type SendEventInput } from './send-event.js';
