/** Where the HTTP server listens, which parts this process runs, and the tokens of its two APIs. */
import type { EnvSpec, FlagSpec } from './flags.js';
import { HTTP_LIMIT_VARIABLES, checkTokens, readHttpLimits, type HttpLimits } from './http-limits.js';
import type { Reader } from './reader.js';

export const ROLES = ['all', 'receiver', 'worker', 'dispatcher'] as const;
export type Role = (typeof ROLES)[number];

export interface HttpSettings {
  readonly port: number;
  readonly host: string;
  readonly role: Role;
  readonly adminToken: string | undefined;
  readonly apiToken: string | undefined;
  /** Limits of the HTTP server idv builds (README "Security and privacy"). */
  readonly http: HttpLimits;
}

export const HTTP_FLAGS: readonly FlagSpec[] = [
  {
    name: 'port',
    value: 'PORT',
    env: 'PORT',
    description: 'where the HTTP server listens (0: any free port)',
  },
  {
    name: 'host',
    value: 'HOST',
    env: 'HOST',
    description: 'the address to bind, e.g. 0.0.0.0 behind a proxy',
  },
];

export const ROLE_FLAG: FlagSpec = {
  name: 'role',
  value: 'ROLE',
  env: 'IDV_ROLE',
  description: `which parts this process runs: ${ROLES.join(', ')}`,
};

export const HTTP_VARIABLES: readonly EnvSpec[] = [
  { name: 'PORT', description: 'where the HTTP server listens' },
  { name: 'HOST', description: 'the address to bind' },
  { name: 'IDV_ROLE', description: 'which parts this process runs' },
  { name: 'IDV_ADMIN_TOKEN', description: 'bearer token of the admin API and UI; unset disables them' },
  { name: 'IDV_API_TOKEN', description: 'bearer token of the app API (/v1); unset disables it' },
  ...HTTP_LIMIT_VARIABLES,
];

/** The role is mostly given as a flag, so its messages name both. */
export const HTTP_LABELS: Readonly<Record<string, string>> = { IDV_ROLE: 'IDV_ROLE (--role)' };

export function readHttp(read: Reader): HttpSettings {
  const tokens = { adminToken: read.string('IDV_ADMIN_TOKEN'), apiToken: read.string('IDV_API_TOKEN') };
  checkTokens(read, tokens);
  return {
    port: read.int('PORT', 4242, 0, 65535),
    host: read.string('HOST', '127.0.0.1')!,
    role: read.oneOf('IDV_ROLE', ROLES, 'all'),
    ...tokens,
    http: readHttpLimits(read),
  };
}
