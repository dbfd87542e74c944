/**
 * `GET /v1/identity/verification_reports/:id` and the list (reference §3.2), so `last_verification_report`
 * ids resolve. The list takes stripe-node's parameters: `client_reference_id`, `created`, `type`,
 * `verification_session` and the page parameters.
 */
import { resourceMissing } from '../api-error.js';
import type { EmulatorContext } from '../context.js';
import { PAGE_PARAM_NAMES, paginate, readCreatedFilter, readPageParams } from '../list-page.js';
import { assertKnownParams, oneOf, optionalString } from '../params.js';
import { renderReport } from '../report-render.js';
import { type Router, json } from '../router.js';

const BASE = '/v1/identity/verification_reports';
const LIST_PARAMS = ['client_reference_id', 'created', 'type', 'verification_session', ...PAGE_PARAM_NAMES];

export function registerVerificationReportRoutes(router: Router, ctx: EmulatorContext): void {
  router.add('GET', `${BASE}/:id`, (request) => {
    const report = ctx.state.reports.get(request.pathParams.id!);
    if (!report) throw resourceMissing('verification_report', request.pathParams.id!);
    return json(renderReport(report));
  });

  router.add('GET', BASE, (request) => {
    const { params } = request;
    assertKnownParams(params, LIST_PARAMS);
    const page = readPageParams(params);
    const created = readCreatedFilter(params);
    const type = oneOf('type', optionalString(params, 'type'), ['document', 'id_number'] as const);
    const reference = optionalString(params, 'client_reference_id');
    const session = optionalString(params, 'verification_session');
    const matching = ctx.state
      .reportsNewestFirst()
      .filter(
        (r) =>
          created(r.created) &&
          (type === undefined || r.type === type) &&
          (reference === undefined || r.client_reference_id === reference) &&
          (session === undefined || r.session_id === session),
      );
    const listed = paginate(
      matching,
      page,
      BASE,
      (r) => r.seq,
      (id) => ctx.state.reports.get(id)?.seq,
      'verification_report',
    );
    return json({ ...listed, data: listed.data.map(renderReport) });
  });
}
