/**
 * GET /admin/api/subjects?state=&code=&q=&limit=&starting_after= → `{ data: [{ ref, state, attempts,
 * last_error_code, updated_at }], has_more }`, most recently updated first: the console's list of users,
 * filtered by state, by the failure code of their current state, and by part of the ref. Nothing personal.
 */
import type { FastifyInstance } from 'fastify';
import { SUBJECT_STATES } from '../../domain/terms.js';
import { IdvError } from '../../errors.js';
import type { SubjectSummary } from '../../store/operator-records.js';
import type { SubjectList } from '../../store/store.js';
import { pageLimit, singleParam } from './paging.js';

export async function adminSubjectListRoutes(app: FastifyInstance, deps: { store: SubjectList }) {
  app.get('/admin/api/subjects', async (request) => {
    const query = request.query as Record<string, unknown>;
    const state = singleParam(query, 'state');
    if (state !== undefined && !(SUBJECT_STATES as readonly string[]).includes(state)) {
      throw new IdvError('invalid_request', `state must be one of ${SUBJECT_STATES.join(', ')}.`, {
        param: 'state',
      });
    }
    const code = singleParam(query, 'code');
    const q = singleParam(query, 'q');
    for (const [param, value] of [
      ['code', code],
      ['q', q],
    ] as const) {
      if (value !== undefined && value.length > 255) {
        throw new IdvError('invalid_request', `${param} is at most 255 characters.`, { param });
      }
    }
    const page = await deps.store.listSubjects({
      state,
      code,
      q,
      limit: pageLimit(query, 20, 100),
      startingAfter: singleParam(query, 'starting_after'),
    });
    return { data: page.data.map(presentSummary), has_more: page.hasMore };
  });
}

function presentSummary(s: SubjectSummary) {
  return {
    ref: s.ref,
    state: s.state,
    attempts: s.attempts,
    last_error_code: s.lastErrorCode,
    updated_at: new Date(s.updatedAt).toISOString(),
  };
}
