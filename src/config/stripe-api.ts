/**
 * Settings for calling the Stripe API (or the emulator in its place, reference §9), and the live/test mode
 * the endpoint accepts, which follows from them (DESIGN.md "Errors at the edge").
 */
import type { EnvSpec } from './flags.js';
import type { Reader } from './reader.js';

/** Which Stripe mode's events this endpoint accepts. */
export type AcceptedMode = 'live' | 'test' | 'any';

export interface StripeApiSettings {
  readonly stripeSecretKey: string | undefined;
  readonly stripeApiBase: string | undefined;
  /** IDV_KEEP_VERIFIED_OUTPUTS: keep the fetched verified outputs (encrypted); default off, never stored. */
  readonly keepVerifiedOutputs?: boolean;
}

export interface ModeSettings {
  readonly acceptedMode: AcceptedMode;
  /** Why acceptedMode is what it is, for the start-up log. */
  readonly acceptedModeSource: 'IDV_LIVEMODE' | 'STRIPE_SECRET_KEY' | 'default';
}

export const STRIPE_API_VARIABLES: readonly EnvSpec[] = [
  { name: 'STRIPE_SECRET_KEY', description: 'Stripe API key, sk_… or rk_… (live or test)' },
  {
    name: 'STRIPE_API_BASE',
    description: 'another Stripe API base, e.g. the local emulator',
    default: 'Stripe',
  },
  {
    name: 'IDV_KEEP_VERIFIED_OUTPUTS',
    description: 'true: keep fetched verified outputs, encrypted (needs an encryption key)',
    default: 'false',
  },
];

export const MODE_VARIABLES: readonly EnvSpec[] = [
  {
    name: 'IDV_LIVEMODE',
    description: 'true: accept live events only; false: test events only; unset and no key: both',
    default: 'from STRIPE_SECRET_KEY',
  },
];

export function readStripeApi(read: Reader): StripeApiSettings {
  const stripeSecretKey = read.string('STRIPE_SECRET_KEY');
  if (stripeSecretKey !== undefined && !/^(sk|rk)_(live|test)_/.test(stripeSecretKey)) {
    read.problem('STRIPE_SECRET_KEY', 'expected sk_live_…, sk_test_…, rk_live_… or rk_test_…');
  }
  const stripeApiBase = read.url('STRIPE_API_BASE');
  // stripe-node takes a host, a port and http or https (reference §9); any other scheme cannot work.
  if (stripeApiBase !== undefined && !/^https?:\/\//i.test(stripeApiBase)) {
    read.problem('STRIPE_API_BASE', 'expected http://… or https://…, e.g. http://127.0.0.1:12111');
  }
  const keep = read.string('IDV_KEEP_VERIFIED_OUTPUTS');
  if (keep !== undefined && keep !== 'true' && keep !== 'false')
    read.problem('IDV_KEEP_VERIFIED_OUTPUTS', `expected true or false, got "${keep.slice(0, 20)}"`);
  return { stripeSecretKey, stripeApiBase, keepVerifiedOutputs: keep === 'true' };
}

/** IDV_LIVEMODE when set; otherwise the key's prefix; with neither, both modes. */
export function readAcceptedMode(read: Reader, stripeSecretKey: string | undefined): ModeSettings {
  const explicit = read.string('IDV_LIVEMODE');
  if (explicit !== undefined) {
    if (explicit !== 'true' && explicit !== 'false')
      read.problem('IDV_LIVEMODE', `expected true or false, got "${explicit.slice(0, 20)}"`);
    return { acceptedMode: explicit === 'true' ? 'live' : 'test', acceptedModeSource: 'IDV_LIVEMODE' };
  }
  if (stripeSecretKey !== undefined) {
    return {
      acceptedMode: /_live_/.test(stripeSecretKey) ? 'live' : 'test',
      acceptedModeSource: 'STRIPE_SECRET_KEY',
    };
  }
  return { acceptedMode: 'any', acceptedModeSource: 'default' };
}
