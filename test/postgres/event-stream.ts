/**
 * A reproducible stream of Identity events for many subjects, as Stripe could deliver it: every subject goes
 * through one of a few realistic scenarios, a share of the events is delivered twice, and the deliveries are
 * shuffled (Stripe does not guarantee order, reference section 6).
 */
import { sessionEvent, signedRequest } from '../helpers/stripe-events.js';

export interface EventStream {
  /** Distinct events (JSON bodies exactly as they are sent, so both runs receive the same bytes). */
  events: { id: string; body: string }[];
  /** What is delivered, in order: every event once, some twice. */
  deliveries: { id: string; body: string }[];
  subjects: string[];
}

type Step = [session: number, type: string, code?: string];
const SCENARIOS: Step[][] = [
  // a failure fixed within the same session → verified
  [
    [1, 'created'],
    [1, 'processing'],
    [1, 'requires_input', 'document_expired'],
    [1, 'verified'],
  ],
  // two failed sessions → retry_required with two attempts used
  [
    [1, 'processing'],
    [1, 'requires_input', 'selfie_face_mismatch'],
    [2, 'processing'],
    [2, 'requires_input', 'document_unverified_other'],
  ],
  // three failed sessions → attempts exhausted → in_review
  [
    [1, 'requires_input', 'selfie_face_mismatch'],
    [2, 'requires_input', 'id_number_mismatch'],
    [3, 'processing'],
    [3, 'requires_input', 'document_expired'],
  ],
  // a fraud signal → in_review, whatever comes after
  [
    [1, 'processing'],
    [1, 'requires_input', 'selfie_manipulated'],
    [2, 'created'],
    [2, 'processing'],
  ],
  // canceled, then a new session in progress
  [
    [1, 'created'],
    [1, 'canceled'],
    [2, 'created'],
    [2, 'processing'],
  ],
  // under age → rejected, final
  [
    [1, 'processing'],
    [1, 'requires_input', 'under_supported_age'],
    [2, 'created'],
    [2, 'verified'],
  ],
  // consent declined twice (alternative method) → in_review
  [
    [1, 'created'],
    [1, 'processing'],
    [1, 'requires_input', 'consent_declined'],
    [1, 'requires_input', 'consent_declined'],
  ],
  // (every scenario has four events, so 500 subjects make 2,000 events)
  // consent declined, then verified in a new session → verified; a review case opened on the way (it is, when
  // the decline is processed first) is closed as superseded, so no case is left open whatever the order
  [
    [1, 'processing'],
    [1, 'requires_input', 'consent_declined'],
    [2, 'processing'],
    [2, 'verified'],
  ],
];

/** mulberry32: a tiny seeded PRNG, so a failing run can be replayed with its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function buildEventStream(options: {
  subjects: number;
  duplicateShare: number;
  seed: number;
  tag: string;
}): EventStream {
  const random = seededRandom(options.seed);
  const t0 = Math.floor(Date.now() / 1000) - 3600;
  const events: { id: string; body: string }[] = [];
  const subjects: string[] = [];
  for (let s = 0; s < options.subjects; s++) {
    const ref = `user_${options.tag}_${s}`;
    subjects.push(ref);
    const scenario = SCENARIOS[Math.floor(random() * SCENARIOS.length)]!;
    scenario.forEach(([session, type, code], step) => {
      const id = `evt_${options.tag}_${s}_${step}`;
      const event = sessionEvent({
        id,
        type: `identity.verification_session.${type}`,
        sessionId: `vs_${options.tag}_${s}_${session}`,
        subject: ref,
        created: t0 + s + step * 10,
        ...(code ? { code } : {}),
        reportId: code || type === 'verified' ? `vr_${options.tag}_${s}_${step}` : null,
      });
      events.push({ id, body: JSON.stringify(event) });
    });
  }
  const deliveries = [...events, ...events.filter(() => random() < options.duplicateShare)];
  for (let i = deliveries.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [deliveries[i], deliveries[j]] = [deliveries[j]!, deliveries[i]!];
  }
  return { events, deliveries, subjects };
}

/** POSTs each delivery (signed at send time) with `concurrency` senders; `target` picks the URL per delivery. */
export async function deliver(
  deliveries: { id: string; body: string }[],
  secret: string,
  target: (index: number) => string,
  concurrency = 32,
): Promise<Map<number, number>> {
  const statuses = new Map<number, number>();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < deliveries.length) {
        const index = next++;
        const status = await postWithRetry(`${target(index)}/webhook`, deliveries[index]!.body, secret);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
    }),
  );
  return statuses;
}

/**
 * One delivery as Stripe makes it: a connection that breaks before an answer (a kept-alive socket the
 * server closed as it was reused, on a loaded machine) is tried again, re-signed; an answer is final.
 */
async function postWithRetry(url: string, raw: string, secret: string, tries = 3): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    const { body, headers } = signedRequest(raw, secret);
    try {
      const res = await fetch(url, { method: 'POST', headers, body });
      await res.arrayBuffer();
      return res.status;
    } catch (err) {
      if (attempt >= tries) throw err;
    }
  }
}
