/** `GET /v1/identity/verification_reports/:id` (reference §3.2), so `last_verification_report` ids resolve. */
import { resourceMissing } from '../api-error.js';
import type { EmulatorContext } from '../context.js';
import { renderReport } from '../report-render.js';
import { type Router, json } from '../router.js';

export function registerVerificationReportRoutes(router: Router, ctx: EmulatorContext): void {
  router.add('GET', '/v1/identity/verification_reports/:id', (request) => {
    const report = ctx.state.reports.get(request.pathParams.id!);
    if (!report) throw resourceMissing('verification_report', request.pathParams.id!);
    return json(renderReport(report));
  });
}
