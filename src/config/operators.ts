/** `idv operator add|list|remove`'s settings: the database, its encryption key (names are personal), a role. */
import {
  DATABASE_URL_VARIABLE,
  ENCRYPTION_VARIABLES,
  readDatabaseUrl,
  readEncryptionKeys,
} from './database.js';
import type { EnvSpec } from './flags.js';
import type { Reader } from './reader.js';

/**
 * The roles of idv's operators, least first. Viewers read; reviewers also decide cases and reveal personal
 * data; admins also replay, erase and manage operators. (Here, the lowest layer that needs the list.)
 */
export const OPERATOR_ROLES = ['viewer', 'reviewer', 'admin'] as const;
export type OperatorRole = (typeof OPERATOR_ROLES)[number];

export interface OperatorSettings {
  readonly databaseUrl: string;
  readonly encryptionKeys: readonly string[];
  readonly role: OperatorRole;
}

export const OPERATOR_VARIABLES: readonly EnvSpec[] = [DATABASE_URL_VARIABLE, ...ENCRYPTION_VARIABLES];

export function readOperatorStore(read: Reader): Omit<OperatorSettings, 'role'> {
  return { databaseUrl: readDatabaseUrl(read), encryptionKeys: readEncryptionKeys(read) };
}

export function readOperatorAdd(read: Reader): OperatorSettings {
  const role = read.string('--role');
  if (role === undefined) read.problem('--role', `required: one of ${OPERATOR_ROLES.join(', ')}`);
  else if (!(OPERATOR_ROLES as readonly string[]).includes(role)) {
    read.problem('--role', `expected one of ${OPERATOR_ROLES.join(', ')}, got "${role.slice(0, 20)}"`);
  }
  return { ...readOperatorStore(read), role: (role ?? 'viewer') as OperatorRole };
}
