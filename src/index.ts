/** Library entry point: `import { … } from 'idv-outcomes'`. */
export { loadConfig } from './config/load.js';
export type { Config } from './config/config.js';
export { startService, type RunningService } from './main/service.js';
export { verifyStripeSignature, signPayload, SignatureError } from './stripe/signature.js';
export { IdvError, type ErrorCode } from './errors.js';
export {
  createIdvOutcomes,
  type IdvOutcomes,
  type IdvOutcomesOptions,
  type NodeMiddleware,
  type OutcomeEvent,
  type OutcomeHandler,
  type OutcomeHandlers,
  type SessionRequest,
  type SubjectView,
} from './library/index.js';
export type { CallbackPayload, MailTransport, OutgoingEmail } from './reactions/index.js';
export type { Store } from './store/store.js';
