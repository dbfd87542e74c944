/**
 * Writing the audit log from a request: who (the signed-in operator, or whom the break-glass operator acts
 * for), what, on which subject and case or row. Written before the request is answered; for a reveal,
 * before anything personal is fetched, so no reveal goes unrecorded.
 */
import type { FastifyRequest } from 'fastify';
import type { AuditAction } from '../store/operator-records.js';
import type { AuditLog } from '../store/store.js';
import { actorName, operatorOf } from './operators.js';

export interface AuditWrite {
  action: AuditAction;
  subjectRef?: string | null;
  target?: string | null;
  /** The body's `actor`, honoured for the break-glass operator only. */
  bodyActor?: unknown;
}

export async function recordAudit(
  store: Pick<AuditLog, 'recordAudit'>,
  request: FastifyRequest,
  write: AuditWrite,
  now: number,
): Promise<void> {
  await store.recordAudit({
    at: now,
    actor: actorName(request, write.bodyActor),
    actorId: operatorOf(request).id,
    action: write.action,
    subjectRef: write.subjectRef ?? null,
    target: write.target ?? null,
  });
}
