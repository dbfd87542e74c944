/**
 * GET /admin/api/audit?subject=&actor=&limit=&starting_after= → `{ data: [{ id, at, actor, actor_id,
 * action, subject, target }], has_more }`, newest first. Any operator may read one subject's entries
 * (they see the subject anyway); the whole log, or one operator's, is for admins. `actor` is an operator
 * id (`op_…`, or `admin`), the column the log is indexed by; names are personal and encrypted.
 */
import type { FastifyInstance } from 'fastify';
import { IdvError } from '../../errors.js';
import type { AuditRecord } from '../../store/records.js';
import type { AuditLog } from '../../store/store.js';
import { hasRole, operatorOf } from '../operators.js';
import { pageLimit, singleParam } from './paging.js';
import { paging, routeSchema } from '../openapi/route-schema.js';
import { str } from '../openapi/json-schema.js';

const AUDIT = routeSchema({
  summary: 'The audit log, newest first: one subject for any operator, all of it for admins',
  tag: 'admin',
  query: {
    subject: str('A subject ref.'),
    actor: str('An operator id.'),
    ...paging(100, 20, 'The id of the last entry of the previous page.'),
  },
  answers: { 200: 'AuditPage' },
});

export async function adminAuditRoutes(app: FastifyInstance, deps: { store: Pick<AuditLog, 'listAudit'> }) {
  app.get('/admin/api/audit', { schema: AUDIT }, async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const subject = singleParam(query, 'subject');
    const actor = singleParam(query, 'actor');
    const after = singleParam(query, 'starting_after');
    if (subject === undefined && !hasRole(operatorOf(request), 'admin')) {
      throw new IdvError('forbidden', 'The whole audit log needs the admin role; name a subject.', {
        role: 'admin',
      });
    }
    if (after !== undefined && !/^\d{1,15}$/.test(after)) {
      throw new IdvError('invalid_request', 'starting_after must be an audit entry id.', {
        param: 'starting_after',
      });
    }
    const limit = pageLimit(query, 20, 100);
    const page = await deps.store.listAudit({
      subjectRef: subject,
      actorId: actor,
      limit,
      startingAfter: after === undefined ? undefined : Number(after),
    });
    // Operators' names are personal data.
    reply.header('cache-control', 'no-store');
    return { data: page.data.map(presentAudit), has_more: page.hasMore };
  });
}

export function presentAudit(entry: AuditRecord) {
  return {
    id: entry.id,
    at: new Date(entry.at).toISOString(),
    actor: entry.actor,
    actor_id: entry.actorId,
    action: entry.action,
    subject: entry.subjectRef,
    target: entry.target,
  };
}
