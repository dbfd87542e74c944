import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  API_TOKEN,
  WEBHOOK_SECRET,
  adminGet,
  startTestService,
  type TestService,
} from '../helpers/service.js';
import { postSigned, sessionEvent, uniqueId } from '../helpers/stripe-events.js';
import { waitFor } from '../helpers/wait.js';

let service: TestService;
beforeAll(async () => {
  service = await startTestService();
});
afterAll(async () => {
  await service.stop();
});

interface SubjectAnswer {
  ref: string;
  state: string;
  attempts: { used: number; max: number; left: number };
  sessions: { id: string; status: string; last_error: { code: string; reason: string } | null }[];
  review: { status: string } | null;
  history: { from: string | null; to: string; event_id: string | null; reason: string }[];
}

async function subject(ref: string): Promise<SubjectAnswer> {
  const res = await fetch(`${service.url}/v1/subjects/${ref}`, {
    headers: { authorization: `Bearer ${API_TOKEN}` },
  });
  expect(res.status).toBe(200);
  return (await res.json()) as SubjectAnswer;
}

async function send(spec: Parameters<typeof sessionEvent>[0]): Promise<string> {
  const event = sessionEvent(spec);
  const res = await postSigned(service.url, event, WEBHOOK_SECRET);
  expect(res.status).toBe(200);
  return event.id as string;
}

async function processed(eventId: string): Promise<void> {
  await waitFor(
    async () => {
      const res = await adminGet(service, `/admin/api/events/${eventId}`);
      const body = (await res.json()) as { status: string };
      return body.status === 'processed' ? true : undefined;
    },
    10_000,
    `event ${eventId} processed`,
  );
}

const T0 = Math.floor(Date.now() / 1000) - 3600;
const type = (t: string) => `identity.verification_session.${t}`;

describe('outcomes through /webhook and GET /v1/subjects/:ref', () => {
  it('document_expired → retry_required with one attempt used, and the reason in history', async () => {
    const ref = uniqueId('user');
    const vs = uniqueId('vs');
    await send({ type: type('processing'), sessionId: vs, subject: ref, created: T0 });
    const last = await send({
      type: type('requires_input'),
      sessionId: vs,
      subject: ref,
      code: 'document_expired',
      created: T0 + 5,
    });
    await processed(last);
    const s = await subject(ref);
    expect(s.state).toBe('retry_required');
    expect(s.attempts).toEqual({ used: 1, max: 3, left: 2 });
    expect(s.sessions[0]).toMatchObject({
      id: vs,
      status: 'requires_input',
      last_error: { code: 'document_expired' },
    });
    expect(s.history.at(-1)).toMatchObject({ to: 'retry_required', event_id: last });
  });

  it('verified delivered before its processing → verified', async () => {
    const ref = uniqueId('user');
    const vs = uniqueId('vs');
    await processed(await send({ type: type('verified'), sessionId: vs, subject: ref, created: T0 + 10 }));
    await processed(await send({ type: type('processing'), sessionId: vs, subject: ref, created: T0 }));
    expect((await subject(ref)).state).toBe('verified');
  });

  it('selfie_manipulated → in_review with an open review case', async () => {
    const ref = uniqueId('user');
    await processed(
      await send({
        type: type('requires_input'),
        sessionId: uniqueId('vs'),
        subject: ref,
        code: 'selfie_manipulated',
        created: T0,
      }),
    );
    const s = await subject(ref);
    expect(s.state).toBe('in_review');
    expect(s.review).toMatchObject({ status: 'open' });
  });

  it('a verification that arrives while a review case is open closes the case as superseded', async () => {
    const ref = uniqueId('user');
    await processed(
      await send({
        type: type('requires_input'),
        sessionId: uniqueId('vs'),
        subject: ref,
        code: 'consent_declined',
        created: T0,
      }),
    );
    const inReview = await subject(ref);
    expect(inReview).toMatchObject({ state: 'in_review', review: { status: 'open' } });
    await processed(
      await send({ type: type('verified'), sessionId: uniqueId('vs'), subject: ref, created: T0 + 60 }),
    );
    expect(await subject(ref)).toMatchObject({ state: 'verified', review: null });
    const reviews = await service.store.listReviews({ status: 'superseded', limit: 100 });
    expect(reviews.filter((r) => r.subjectRef === ref)).toHaveLength(1);
  });

  it('under_supported_age → rejected', async () => {
    const ref = uniqueId('user');
    await processed(
      await send({
        type: type('requires_input'),
        sessionId: uniqueId('vs'),
        subject: ref,
        code: 'under_supported_age',
        created: T0,
      }),
    );
    expect((await subject(ref)).state).toBe('rejected');
  });

  it('three failed sessions → in_review with no attempts left', async () => {
    const ref = uniqueId('user');
    for (let i = 0; i < 3; i++) {
      await processed(
        await send({
          type: type('requires_input'),
          sessionId: uniqueId('vs'),
          subject: ref,
          code: 'selfie_face_mismatch',
          created: T0 + i * 60,
        }),
      );
    }
    const s = await subject(ref);
    expect(s.state).toBe('in_review');
    expect(s.attempts).toEqual({ used: 3, max: 3, left: 0 });
  });

  it('a created event makes a known user pending', async () => {
    const ref = uniqueId('user');
    await processed(
      await send({ type: type('created'), sessionId: uniqueId('vs'), subject: ref, created: T0 }),
    );
    expect((await subject(ref)).state).toBe('pending');
  });

  it('a user idv never saw is unverified with every attempt left', async () => {
    expect(await subject(uniqueId('user'))).toMatchObject({
      state: 'unverified',
      attempts: { used: 0, max: 3, left: 3 },
      sessions: [],
    });
  });

  it('answers 401 without the API token', async () => {
    expect((await fetch(`${service.url}/v1/subjects/u1`)).status).toBe(401);
  });

  it('plans one reaction set for the same failure delivered five times and as two Event objects', async () => {
    const ref = uniqueId('user');
    const vs = uniqueId('vs');
    const report = uniqueId('vr');
    const event = sessionEvent({
      type: type('requires_input'),
      sessionId: vs,
      subject: ref,
      code: 'document_expired',
      reportId: report,
      created: T0,
    });
    for (let i = 0; i < 5; i++)
      expect((await postSigned(service.url, event, WEBHOOK_SECRET)).status).toBe(200);
    const twin = { ...event, id: uniqueId('evt') };
    expect((await postSigned(service.url, twin, WEBHOOK_SECRET)).status).toBe(200);
    await processed(event.id as string);
    await processed(twin.id as string);
    const reactions = await service.store.listReactions({ subjectRef: ref, limit: 100 });
    expect(reactions.map((r) => r.topic).sort()).toEqual(['retry_required', 'verification.retry_required']);
    expect((await subject(ref)).attempts.used).toBe(1);
  });

  it('keeps a session without any subject reference as unlinked instead of dropping it', async () => {
    const vs = uniqueId('vs');
    const id = await send({ type: type('verified'), sessionId: vs, subject: null, created: T0 });
    await processed(id);
    const unlinked = await service.store.listUnlinkedSessions(100);
    expect(unlinked.map((s) => s.id)).toContain(vs);
  });
});
