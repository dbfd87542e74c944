/**
 * A review case's evidence and the reveal of personal data, on both stores, against the emulator through
 * stripe-node: the case shows the session as Stripe reports it and the report's checks, cached without
 * personal data; a reviewer's reveal reads names and dates live, is audited and never stored; Stripe's
 * 48-hour refusal is 409 `outputs_unavailable`; a viewer may not reveal. The reveal lists the report's
 * document and selfie images, which idv streams from Stripe's File API (audited, no-store, only that case's
 * files).
 */
import { startEmulator, type Emulator } from '@idv-outcomes/emulator';
import { randomBytes } from 'node:crypto';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenHash } from '../../src/http/operators.js';
import { serviceLegs } from '../helpers/service-legs.js';
import type { TestService } from '../helpers/service.js';
import { uniqueId } from '../helpers/stripe-events.js';
import { failSubmission } from '../helpers/failed-submission.js';
import { waitFor } from '../helpers/wait.js';

const KEY = 'rk_test_idv_console_evidence';
const LEGS = await serviceLegs();

describe.each(LEGS)('evidence on $name', ({ skipReason, start }) => {
  if (skipReason) {
    it.skip(`is skipped: ${skipReason}`, () => undefined);
    return;
  }
  let emulator: Emulator;
  let stripe: Stripe;
  let service: TestService;
  const tokens = {
    viewer: `idvop_${randomBytes(24).toString('hex')}`,
    reviewer: `idvop_${randomBytes(24).toString('hex')}`,
  };

  const call = (token: string, method: string, path: string) =>
    fetch(`${service.url}${path}`, { method, headers: { authorization: `Bearer ${token}` } });

  /** A session at the emulator whose submission failed with `code`, and its case. */
  async function caseFor(code: string) {
    const ref = uniqueId('user');
    const session = await stripe.identity.verificationSessions.create({
      type: 'document',
      options: { document: { require_matching_selfie: true } },
      client_reference_id: ref,
      metadata: { user_id: ref },
    });
    const reportId = await failSubmission(stripe, service.url, { ref, sessionId: session.id, code });
    const review = await waitFor(async () => (await service.store.getSubject(ref))?.openReview ?? undefined);
    return {
      ref,
      sessionId: session.id,
      reportId,
      reviewId: review.id,
    };
  }

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, host: '127.0.0.1' });
    stripe = new Stripe(KEY, { host: '127.0.0.1', port: emulator.port, protocol: 'http', telemetry: false });
    service = await start({ STRIPE_SECRET_KEY: KEY, STRIPE_API_BASE: emulator.url });
    for (const role of ['viewer', 'reviewer'] as const) {
      await service.store.addOperator({
        id: `op_${role}`,
        name: `${role} one`,
        role,
        tokenHash: tokenHash(tokens[role]),
        createdAt: Date.now(),
      });
    }
  });
  afterAll(async () => {
    await service?.stop();
    await emulator?.close();
  });

  it('a case carries the live session and the report checks, cached without personal data', async () => {
    const { reviewId, sessionId, reportId } = await caseFor('selfie_manipulated');
    const answer = await call(tokens.viewer, 'GET', `/admin/api/reviews/${reviewId}`);
    expect(answer.status).toBe(200);
    const body = (await answer.json()) as { evidence: Record<string, unknown> };
    expect(body.evidence).toMatchObject({
      session: {
        id: sessionId,
        type: 'document',
        status: 'requires_input',
        last_error: { code: 'selfie_manipulated' },
      },
      report: {
        id: reportId,
        document: { status: 'verified', issuing_country: 'US' },
        selfie: { status: 'unverified', error: { code: 'selfie_manipulated' } },
      },
      attempts: { used: 1 },
      dashboard_url: `https://dashboard.stripe.com/test/identity/verification-sessions/${sessionId}`,
      match: null,
    });
    expect(JSON.stringify(body)).not.toMatch(/first_name|last_name|dob|Jenny/);
    const cached = await service.store.getCachedReport(reportId);
    expect(cached?.report).toEqual(body.evidence.report);
  });

  it('a reviewer reveals the verified data live, audited and not stored; a viewer may not', async () => {
    const { reviewId, ref } = await caseFor('selfie_manipulated');
    const refused = await call(tokens.viewer, 'POST', `/admin/api/reviews/${reviewId}/reveal`);
    expect(refused.status).toBe(403);
    const answer = await call(tokens.reviewer, 'POST', `/admin/api/reviews/${reviewId}/reveal`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    // The selfie failed, so Stripe verified no outputs; the document was read and names its holder.
    const revealed = (await answer.json()) as Record<string, unknown>;
    expect(revealed).toMatchObject({
      verified_outputs: null,
      document: { first_name: 'Jenny', last_name: 'Rosen' },
    });
    expect(
      JSON.stringify(
        await service.store.getCachedReport(
          (await service.store.getSubject(ref))!.sessions[0]!.record!.lastReportId!,
        ),
      ),
    ).not.toContain('Jenny');
    const audit = await service.store.listAudit({ subjectRef: ref, limit: 10 });
    expect(audit.data.map((a) => [a.action, a.actorId, a.target])).toContainEqual([
      'review.reveal',
      'op_reviewer',
      reviewId,
    ]);
  });

  it('after the 48-hour window Stripe refuses, and the reveal is 409 outputs_unavailable', async () => {
    const { reviewId, sessionId } = await caseFor('selfie_manipulated');
    await stripe.rawRequest(
      'POST',
      `/v1/test_helpers/identity/verification_sessions/${sessionId}/expire_sensitive_outputs`,
      {},
    );
    const answer = await call(tokens.reviewer, 'POST', `/admin/api/reviews/${reviewId}/reveal`);
    expect(answer.status).toBe(409);
    const body = (await answer.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('outputs_unavailable');
    expect(body.error.message).toContain('48 hours');
  });

  it('the reveal lists the images; a reviewer gets each through idv, audited, no-store; others are refused', async () => {
    const { reviewId, ref, sessionId } = await caseFor('selfie_manipulated');
    const revealed = (await (
      await call(tokens.reviewer, 'POST', `/admin/api/reviews/${reviewId}/reveal`)
    ).json()) as { files: { id: string; label: string; url: string }[] };
    expect(revealed.files.map((f) => f.label)).toEqual([
      'Document front',
      'Document back',
      'Face on the document',
      'Selfie',
    ]);
    const first = revealed.files[0]!;
    expect(first.url).toBe(`/admin/api/reviews/${reviewId}/files/${first.id}`);

    const image = await call(tokens.reviewer, 'GET', first.url);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(image.headers.get('cache-control')).toBe('no-store');
    expect(image.headers.get('x-content-type-options')).toBe('nosniff');
    const bytes = Buffer.from(await image.arrayBuffer());
    expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
    const audit = await service.store.listAudit({ subjectRef: ref, limit: 10 });
    expect(audit.data.map((a) => [a.action, a.actorId, a.target])).toContainEqual([
      'review.file',
      'op_reviewer',
      `${reviewId}/${first.id}`,
    ]);

    expect((await fetch(`${service.url}${first.url}`)).status).toBe(401);
    const viewer = await call(tokens.viewer, 'GET', first.url);
    expect(viewer.status).toBe(403);
    expect(((await viewer.json()) as { error: { code: string } }).error.code).toBe('forbidden');
    // A file of another case's report is not this case's to show.
    const other = await caseFor('selfie_manipulated');
    const otherFiles = (await (
      await call(tokens.reviewer, 'POST', `/admin/api/reviews/${other.reviewId}/reveal`)
    ).json()) as { files: { id: string }[] };
    const foreign = await call(
      tokens.reviewer,
      'GET',
      `/admin/api/reviews/${reviewId}/files/${otherFiles.files[0]!.id}`,
    );
    expect(foreign.status).toBe(404);

    await stripe.rawRequest(
      'POST',
      `/v1/test_helpers/identity/verification_sessions/${sessionId}/expire_sensitive_outputs`,
      {},
    );
    const expired = await call(tokens.reviewer, 'GET', first.url);
    expect(expired.status).toBe(409);
    const body = (await expired.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('outputs_unavailable');
    expect(body.error.message).toContain('48 hours');
    const files = (await service.store.listAudit({ subjectRef: ref, limit: 20 })).data.filter(
      (a) => a.action === 'review.file',
    );
    expect(files).toHaveLength(1);
  });
});
