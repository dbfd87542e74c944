/** The validated, frozen configuration every other module receives. Built only by `loadConfig`. */
export const ROLES = ['all', 'receiver', 'worker', 'dispatcher'] as const;
export type Role = (typeof ROLES)[number];

/** Which Stripe mode's events this endpoint accepts (DESIGN.md "Errors at the edge"). */
export type AcceptedMode = 'live' | 'test' | 'any';

/**
 * Which TCP peers may speak for the client in `X-Forwarded-For` (IDV_TRUST_PROXY): nobody, every peer,
 * the nearest n hops, or the listed addresses and CIDR ranges.
 */
export type TrustProxy = boolean | number | readonly string[];

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly role: Role;
  readonly databaseUrl: string;
  readonly pgPoolSize: number;
  readonly webhookSecrets: readonly string[];
  readonly webhookToleranceSec: number;
  readonly maxBodyBytes: number;
  readonly acceptedMode: AcceptedMode;
  /** Why acceptedMode is what it is, for the start-up log. */
  readonly acceptedModeSource: 'IDV_LIVEMODE' | 'STRIPE_SECRET_KEY' | 'default';
  readonly stripeSecretKey: string | undefined;
  readonly stripeApiBase: string | undefined;
  readonly adminToken: string | undefined;
  readonly apiToken: string | undefined;
  /** Limits of the HTTP server idv builds (README "Security and privacy"). */
  readonly http: {
    readonly headersTimeoutMs: number;
    readonly requestTimeoutMs: number;
    readonly keepAliveTimeoutMs: number;
    /** Open connections one TCP peer may hold at once; 0 disables the cap. */
    readonly maxConnectionsPerIp: number;
    readonly trustProxy: TrustProxy;
  };
  readonly smtpUrl: string | undefined;
  readonly emailFrom: string;
  readonly templatesDir: string | undefined;
  /** The app's page where a user starts a new attempt; linked from retry emails. `{ref}` is replaced. */
  readonly retryUrl: string | undefined;
  readonly callbackUrl: string | undefined;
  readonly callbackSecret: string | undefined;
  readonly callbackTimeoutMs: number;
  readonly policyFile: string | undefined;
  readonly encryptionKey: string | undefined;
  readonly logLevel: string;
  readonly worker: {
    readonly pollIntervalMs: number;
    readonly leaseMs: number;
    readonly batchSize: number;
    readonly maxEventAttempts: number;
    /** Processed and ignored events older than this are deleted; 0 keeps them forever. */
    readonly eventRetentionDays: number;
  };
  readonly dispatcher: {
    readonly pollIntervalMs: number;
    /** Delays in ms between tries; a reaction is dead after the last one. */
    readonly retryScheduleMs: readonly number[];
  };
}
