/** `idv endpoint`'s settings: the Stripe API to register at and the endpoint to register. */
import type { Reader } from './reader.js';
import { readStripeApi } from './stripe-api.js';

export interface EndpointSettings {
  readonly secretKey: string;
  readonly apiBase: string | undefined;
  readonly url: string;
  readonly description: string | undefined;
  /** `--connect`: receive the events of connected accounts (each carries `account`) instead of the platform's. */
  readonly connect: boolean;
}

/** Any `sk_test_` key works against the emulator (src/emulator/http-io.ts), so none is asked for there. */
export const EMULATOR_SECRET_KEY = 'sk_test_idv_emulator';

/** `--api-base` overrides STRIPE_API_BASE (the flag is declared with that variable). */
export function readEndpoint(read: Reader): EndpointSettings {
  const given = read.string('--url');
  if (given === undefined) read.problem('--url', 'required: the URL Stripe should post events to');
  const url = given === undefined ? undefined : read.url('--url');
  const { stripeSecretKey, stripeApiBase } = readStripeApi(read);
  const secretKey = stripeSecretKey ?? (stripeApiBase ? EMULATOR_SECRET_KEY : undefined);
  if (secretKey === undefined)
    read.problem(
      'STRIPE_SECRET_KEY',
      'required: no API key; set STRIPE_SECRET_KEY (or point --api-base / STRIPE_API_BASE at the emulator)',
    );
  return {
    secretKey: secretKey ?? '',
    apiBase: stripeApiBase,
    url: url ?? '',
    description: read.string('--description'),
    connect: read.switch('--connect'),
  };
}
