/**
 * GET /admin/api/subjects?state=&code=&ever_code=&from=&to=&submitted=&q=&limit=&starting_after= → `{ data:
 * [{ ref, state, attempts, last_error_code, updated_at }], has_more }`, most recently updated first: the
 * console's list of users, filtered by state, by the failure code of their current state, by a code met in any
 * submission, by when idv first recorded them (the stats cohort), by whether they submitted, and by part of
 * the ref. Nothing personal. With the same filters it lists exactly the subjects a stats figure counts.
 */
import type { FastifyInstance } from 'fastify';
import { isTimeZone, parseInstant } from '../../domain/stats.js';
import { SUBJECT_STATES } from '../../domain/terms.js';
import { IdvError } from '../../errors.js';
import type { SubjectSummary } from '../../store/operator-records.js';
import type { SubjectList } from '../../store/store.js';
import { pageLimit, singleParam } from './paging.js';
import { choice, paging, routeSchema } from '../openapi/route-schema.js';
import { str } from '../openapi/json-schema.js';

const SUBJECTS = routeSchema({
  summary: 'Subjects, most recently updated first, filtered and paged (nothing personal)',
  tag: 'admin',
  query: {
    state: choice(SUBJECT_STATES),
    code: str('The failure code of the current state.'),
    ever_code: str('A failure code met in any submission.'),
    q: str('Part of the ref.'),
    from: str('First recorded at or after (a date or a timestamp).'),
    to: str('First recorded before.'),
    tz: str('The time zone of from and to; UTC when absent.'),
    submitted: choice(['true', 'false']),
    ...paging(100, 20, 'The ref of the last subject of the previous page.'),
  },
  answers: { 200: 'SubjectPage' },
});

export async function adminSubjectListRoutes(app: FastifyInstance, deps: { store: SubjectList }) {
  app.get('/admin/api/subjects', { schema: SUBJECTS }, async (request) => {
    const query = request.query as Record<string, unknown>;
    // The route schema refused a state or `submitted` outside its list.
    const state = singleParam(query, 'state');
    const code = singleParam(query, 'code');
    const q = singleParam(query, 'q');
    const everCode = singleParam(query, 'ever_code');
    for (const [param, value] of [
      ['code', code],
      ['q', q],
      ['ever_code', everCode],
    ] as const) {
      if (value !== undefined && value.length > 255) {
        throw new IdvError('invalid_request', `${param} is at most 255 characters.`, { param });
      }
    }
    const page = await deps.store.listSubjects({
      state,
      code,
      q,
      everCode,
      ...cohortParams(query),
      limit: pageLimit(query, 20, 100),
      startingAfter: singleParam(query, 'starting_after'),
    });
    return { data: page.data.map(presentSummary), has_more: page.hasMore };
  });
}

/** from=/to= (the cohort of the stats figures, as stats-report.ts reads them) and submitted=true|false. */
function cohortParams(query: Record<string, unknown>) {
  const tz = singleParam(query, 'tz') ?? 'UTC';
  if (!isTimeZone(tz))
    throw new IdvError('invalid_request', 'tz must be an IANA time zone.', { param: 'tz' });
  const instant = (name: 'from' | 'to'): number | undefined => {
    const text = singleParam(query, name);
    if (text === undefined) return undefined;
    const t = parseInstant(text, tz);
    if (t === null) {
      throw new IdvError('invalid_request', `${name} must be a date (2026-11-01) or a timestamp.`, {
        param: name,
      });
    }
    return t;
  };
  const submitted = singleParam(query, 'submitted');
  return {
    from: instant('from'),
    to: instant('to'),
    submitted: submitted === undefined ? undefined : submitted === 'true',
  };
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
