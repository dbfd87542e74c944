/** `idv endpoint`'s settings: the Stripe API to register at and the endpoint to register or change. */
import type { Reader } from './reader.js';
import { readStripeApi } from './stripe-api.js';

export interface EndpointApiSettings {
  readonly secretKey: string;
  readonly apiBase: string | undefined;
}

export interface EndpointSettings extends EndpointApiSettings {
  readonly url: string;
  readonly description: string | undefined;
  /** `--connect`: receive the events of connected accounts (each carries `account`) instead of the platform's. */
  readonly connect: boolean;
  /** `--replace`: delete the endpoints already registered for the URL once the new one exists. */
  readonly replace: boolean;
}

export interface EndpointUpdateSettings extends EndpointApiSettings {
  readonly url: string | undefined;
  readonly description: string | undefined;
  /** `--disable` / `--enable`; undefined leaves the status as it is. */
  readonly disabled: boolean | undefined;
  /** `--identity-events`: set the enabled events back to the six Identity events. */
  readonly identityEvents: boolean;
}

/** Any `sk_test_` key works against the emulator (src/emulator/http-io.ts), so none is asked for there. */
export const EMULATOR_SECRET_KEY = 'sk_test_idv_emulator';

/** `--api-base` overrides STRIPE_API_BASE (the flag is declared with that variable). */
export function readEndpointApi(read: Reader): EndpointApiSettings {
  const { stripeSecretKey, stripeApiBase } = readStripeApi(read);
  const secretKey = stripeSecretKey ?? (stripeApiBase ? EMULATOR_SECRET_KEY : undefined);
  if (secretKey === undefined)
    read.problem(
      'STRIPE_SECRET_KEY',
      'required: no API key; set STRIPE_SECRET_KEY (or point --api-base / STRIPE_API_BASE at the emulator)',
    );
  return { secretKey: secretKey ?? '', apiBase: stripeApiBase };
}

export function readEndpoint(read: Reader): EndpointSettings {
  return { ...readEndpointRotate(read), replace: read.switch('--replace') };
}

/** `idv endpoint rotate`: the URL whose endpoint gets a successor, as for create (without --replace). */
export function readEndpointRotate(read: Reader): Omit<EndpointSettings, 'replace'> {
  const given = read.string('--url');
  if (given === undefined) read.problem('--url', 'required: the URL Stripe should post events to');
  const url = given === undefined ? undefined : read.url('--url');
  return {
    ...readEndpointApi(read),
    url: url ?? '',
    description: read.string('--description'),
    connect: read.switch('--connect'),
  };
}

export function readEndpointUpdate(read: Reader): EndpointUpdateSettings {
  const disable = read.switch('--disable');
  const enable = read.switch('--enable');
  if (disable && enable) read.problem('--disable', 'give --disable or --enable, not both');
  return {
    ...readEndpointApi(read),
    url: read.string('--url') === undefined ? undefined : read.url('--url'),
    description: read.string('--description'),
    disabled: disable ? true : enable ? false : undefined,
    identityEvents: read.switch('--identity-events'),
  };
}
