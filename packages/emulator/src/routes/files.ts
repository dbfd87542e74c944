/**
 * The File API for identity files (reference §1, §3.2): `GET /v1/files/:id` (the File object, `purpose`
 * `identity_document_downloadable`) and `GET /v1/files/:id/contents` (the image; Stripe serves it from
 * files.stripe.com, and stripe-node's `host` replaces every base, so one emulator address serves both).
 * As on Stripe, identity files need a restricted key, only within the 48 hours of sensitive results
 * (`expire_sensitive_outputs` ends them, the same 403 as the verified outputs [assumed]), and a redacted
 * session's file contents are deleted (404).
 */
import { ApiError, resourceMissing } from '../api-error.js';
import type { EmulatorContext } from '../context.js';
import type { EmulatedReport } from '../model.js';
import { type Router, json } from '../router.js';
import type { ApiRequest } from '../router.js';
import { findFile } from '../specimen-files.js';
import { specimenPng, type SpecimenPart } from '../specimen-png.js';

function readable(ctx: EmulatorContext, request: ApiRequest): { report: EmulatedReport; part: SpecimenPart } {
  const id = request.pathParams.id!;
  const found = findFile(id, (reportId) => ctx.state.reports.get(reportId));
  if (!found) throw resourceMissing('file', id);
  if (request.keyKind !== 'restricted') {
    throw new ApiError(
      403,
      'invalid_request_error',
      `Identity file ${id} can only be read with a restricted API key with the "Access recent sensitive verification results" permission.`,
      'secret_key_required',
    );
  }
  if (ctx.state.sessions.get(found.report.session_id)?.sensitive_outputs_readable === false) {
    throw new ApiError(
      403,
      'invalid_request_error',
      `Identity file ${id} belongs to a verification processed more than 48 hours ago and can only be read with an IP-restricted key.`,
      'sensitive_data_access_expired',
    );
  }
  return found;
}

export function registerFileRoutes(router: Router, ctx: EmulatorContext): void {
  router.add('GET', '/v1/files/:id', (request) => {
    const { report, part } = readable(ctx, request);
    const id = request.pathParams.id!;
    return json({
      id,
      object: 'file',
      created: report.created,
      expires_at: null,
      filename: `${part}.png`,
      links: { object: 'list', data: [], has_more: false, url: `/v1/file_links?file=${id}` },
      purpose: 'identity_document_downloadable',
      size: report.redacted ? 0 : specimenPng(part).length,
      title: null,
      type: 'png',
      url: `${ctx.baseUrl()}/v1/files/${id}/contents`,
    });
  });

  router.add('GET', '/v1/files/:id/contents', (request) => {
    const { report, part } = readable(ctx, request);
    if (report.redacted) throw resourceMissing('file', request.pathParams.id!);
    return { kind: 'binary', status: 200, contentType: 'image/png', body: specimenPng(part) };
  });
}
