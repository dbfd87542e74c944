/**
 * Who is asking the admin API, and whether their role allows the route. A request's Bearer token
 * identifies its operator: IDV_ADMIN_TOKEN is the break-glass operator `admin` (role admin), any other
 * token is looked up by its SHA-256 among the operators `idv operator add` created — on every request, so
 * an operator added or removed while the service runs counts at once.
 *
 * Roles: viewers read; reviewers also decide and reveal; admins also replay, erase and manage. A route
 * names the least role it needs in its config (`{ config: { role: 'reviewer' } }`); without one, reading
 * (GET) needs a viewer and anything else an admin, so a write route that forgets to say is closed, not open.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { IdvError } from '../errors.js';
import type { OperatorRecord, OperatorRole } from '../store/operator-records.js';
import type { Operators } from '../store/store.js';
import { digest, requireIdentity, type BearerGuard } from './auth.js';

export interface Operator {
  id: string;
  name: string;
  role: OperatorRole;
  /** The IDV_ADMIN_TOKEN operator: the only one whose `Idv-Actor` header (or body `actor`) is honoured. */
  breakGlass: boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The least role a route needs (operators.ts). */
    role?: OperatorRole;
  }
  interface FastifyRequest {
    operator?: Operator;
  }
}

const RANK: Record<OperatorRole, number> = { viewer: 0, reviewer: 1, admin: 2 };

export const BREAK_GLASS_ID = 'admin';

export function tokenHash(token: string): string {
  return digest(token).toString('hex');
}

const BREAK_GLASS: Operator = { id: BREAK_GLASS_ID, name: 'admin', role: 'admin', breakGlass: true };

/** The operator holding `token`, if anyone does (the Bearer check and the console's sign-in). */
export function operatorIdentifier(
  adminToken: string | undefined,
  store: Pick<Operators, 'findOperatorByTokenHash'>,
): (token: string) => Promise<Operator | undefined> {
  const breakGlass = adminToken === undefined ? undefined : digest(adminToken);
  return async (token) => {
    const given = digest(token);
    if (breakGlass && timingSafeEqual(given, breakGlass)) return BREAK_GLASS;
    const found: OperatorRecord | null = await store.findOperatorByTokenHash(given.toString('hex'));
    return found ? { id: found.id, name: found.name, role: found.role, breakGlass: false } : undefined;
  };
}

/** The operator `id` as it is now (a console session names its operator by id). */
export async function operatorById(
  id: string,
  adminToken: string | undefined,
  store: Pick<Operators, 'listOperators'>,
): Promise<Operator | undefined> {
  if (id === BREAK_GLASS_ID) return adminToken === undefined ? undefined : BREAK_GLASS;
  const found = (await store.listOperators()).find((o) => o.id === id);
  return found ? { id: found.id, name: found.name, role: found.role, breakGlass: false } : undefined;
}

export function requireOperator(
  guard: BearerGuard,
  adminToken: string | undefined,
  store: Pick<Operators, 'findOperatorByTokenHash'>,
) {
  return requireIdentity<Operator>(guard, operatorIdentifier(adminToken, store), (request, operator) => {
    request.operator = operator;
  });
}

/** preHandler of the admin scope: 403 `forbidden` when the operator's role is below the route's. */
export async function requireRole(request: FastifyRequest): Promise<void> {
  const needed = neededRole(request);
  const operator = operatorOf(request);
  if (RANK[operator.role] < RANK[needed]) {
    throw new IdvError(
      'forbidden',
      `This needs the ${needed} role; ${operator.name} is a ${operator.role}.`,
      {
        role: needed,
      },
    );
  }
}

function neededRole(request: FastifyRequest): OperatorRole {
  const configured = request.routeOptions.config.role;
  if (configured) return configured;
  return request.method === 'GET' || request.method === 'HEAD' ? 'viewer' : 'admin';
}

export function operatorOf(request: FastifyRequest): Operator {
  if (!request.operator) throw new IdvError('unauthorized', 'No operator is signed in.');
  return request.operator;
}

export function hasRole(operator: Operator, role: OperatorRole): boolean {
  return RANK[operator.role] >= RANK[role];
}

/**
 * Who the record names as having acted. A named operator is always themselves; the break-glass operator
 * may say on whose behalf it acts, with the `Idv-Actor` header or a body `actor` (a shared script).
 */
export function actorName(request: FastifyRequest, bodyActor?: unknown): string {
  const operator = operatorOf(request);
  if (!operator.breakGlass) return operator.name;
  const header = request.headers['idv-actor'];
  const fromHeader = Array.isArray(header) ? header[0] : header;
  const actor = fromHeader?.trim() || (typeof bodyActor === 'string' ? bodyActor.trim() : '');
  return actor === '' ? operator.name : actor.slice(0, 200);
}
