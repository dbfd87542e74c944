/**
 * Identity files: a report lists its document and selfie files, stripe-node reads the File objects, and
 * their contents are specimen PNGs — only for a restricted key, only within the 48 hours, and gone once
 * the session is redacted.
 */
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEmulator, testHelper, type TestEmulator } from './helpers.js';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe('identity files', () => {
  let t: TestEmulator;
  beforeAll(async () => {
    t = await startTestEmulator();
  });
  afterAll(async () => t.emulator.close());

  async function failedReport(
    options: Stripe.Identity.VerificationSessionCreateParams.Options,
    code = 'selfie_manipulated',
  ): Promise<{ session: string; report: Stripe.Identity.VerificationReport }> {
    const vs = await t.stripe.identity.verificationSessions.create({ type: 'document', options });
    await testHelper(t.stripe, vs.id, 'require_input', { last_error: { code } });
    const failed = await t.stripe.identity.verificationSessions.retrieve(vs.id);
    const report = await t.stripe.identity.verificationReports.retrieve(
      failed.last_verification_report as string,
    );
    return { session: vs.id, report };
  }

  function contents(url: string, key: string): Promise<Response> {
    return fetch(url, { headers: { authorization: `Bearer ${key}` } });
  }

  it('lists front, back, the document face and the selfie; each is a specimen PNG for a restricted key', async () => {
    const { report } = await failedReport({ document: { require_matching_selfie: true } });
    expect(report.document?.files).toHaveLength(2);
    const ids = [...report.document!.files!, report.selfie!.document!, report.selfie!.selfie!];
    expect(ids.every((id) => id.startsWith('file_'))).toBe(true);
    for (const id of ids) {
      const file = await t.restricted.files.retrieve(id);
      expect(file).toMatchObject({
        id,
        object: 'file',
        purpose: 'identity_document_downloadable',
        type: 'png',
      });
      expect(file.url).toBe(`${t.emulator.url}/v1/files/${id}/contents`);
      const answer = await contents(file.url!, 'rk_test_emulator');
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toBe('image/png');
      const body = Buffer.from(await answer.arrayBuffer());
      expect(body.subarray(0, 8)).toEqual(PNG);
      expect(body.length).toBe(file.size);
    }
    // The four parts are four different pictures.
    const bodies = await Promise.all(
      ids.map(async (id) =>
        Buffer.from(
          await (
            await contents(`${t.emulator.url}/v1/files/${id}/contents`, 'rk_test_emulator')
          ).arrayBuffer(),
        ).toString('base64'),
      ),
    );
    expect(new Set(bodies).size).toBe(4);
  });

  it('a passport has no back; a session-level failure uploaded nothing; an unknown id is 404', async () => {
    const passport = await failedReport({ document: { allowed_types: ['passport'] } }, 'document_expired');
    expect(passport.report.document?.files).toHaveLength(1);
    expect(passport.report.selfie).toBeUndefined();
    const declined = await failedReport({}, 'consent_declined');
    expect(declined.report.document?.files).toEqual([]);
    await expect(t.restricted.files.retrieve('file_nothing_front')).rejects.toMatchObject({
      statusCode: 404,
    });
  });

  it('refuses a secret key, refuses after the 48 hours, and deletes the contents with the redaction', async () => {
    const { session, report } = await failedReport({ document: { require_matching_selfie: true } });
    const id = report.selfie!.selfie!;
    const url = `${t.emulator.url}/v1/files/${id}/contents`;
    const secret = await contents(url, 'sk_test_emulator');
    expect(secret.status).toBe(403);
    expect(((await secret.json()) as { error: { code: string } }).error.code).toBe('secret_key_required');
    await expect(t.stripe.files.retrieve(id)).rejects.toMatchObject({ statusCode: 403 });

    await t.stripe.identity.verificationSessions.redact(session);
    while ((await t.stripe.identity.verificationSessions.retrieve(session)).redaction?.status !== 'redacted')
      await new Promise((resolve) => setTimeout(resolve, 10));
    const redacted = await contents(url, 'rk_test_emulator');
    expect(redacted.status).toBe(404);

    const other = await failedReport({ document: { require_matching_selfie: true } });
    await testHelper(t.stripe, other.session, 'expire_sensitive_outputs');
    const expired = await contents(
      `${t.emulator.url}/v1/files/${other.report.document!.files![0]!}/contents`,
      'rk_test_emulator',
    );
    expect(expired.status).toBe(403);
    expect(((await expired.json()) as { error: { code: string } }).error.code).toBe(
      'sensitive_data_access_expired',
    );
  });
});
