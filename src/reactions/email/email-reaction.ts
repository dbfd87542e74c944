/**
 * The `email` reaction: one message per outbox row (the worker plans one per subject state change), sent
 * over SMTP with nodemailer. The address is read from the subject at send time (given by the app through
 * the sessions API, or Stripe's `provided_details.email`); it is personal data, so it appears in no log
 * line and no stored result.
 *
 * The Message-ID is derived from the row's idempotency key: if a lease expires mid-send and the row runs
 * twice, both copies carry the same Message-ID, which mail systems use to drop duplicates.
 */
import { createHash } from 'node:crypto';
import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import { EMAIL_TOPICS, isOneOf, type EmailTopic } from '../../domain/index.js';
import type { OutboxRecord, SubjectsAndReviews } from '../../store/store.js';
import { dead, done, retry, skipped, type ReactionRunner, type ReactionVerdict } from '../verdict.js';
import { renderTemplate, type TemplateValues } from './render.js';
import { splitSubjectKey } from '../../domain/index.js';
import type { EmailTemplates } from './templates.js';

export interface OutgoingEmail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  headers: Record<string, string>;
}

/** What sends a message; nodemailer in production, anything with the same shape in tests. */
export interface MailTransport {
  sendMail(message: OutgoingEmail): Promise<unknown>;
}

export interface EmailRunnerOptions {
  store: Pick<SubjectsAndReviews, 'getSubject'>;
  transport: MailTransport;
  from: string;
  templates: EmailTemplates;
  /** The app's page for a new attempt (`IDV_RETRY_URL`); `{ref}` is replaced. No link when absent. */
  retryUrl?: string | undefined;
}

/**
 * nodemailer over `SMTP_URL` (its query string takes nodemailer options, e.g. `?ignoreTLS=true` for a local
 * sink), with timeouts short enough to stay well inside the dispatcher's lease.
 */
export function smtpTransport(smtpUrl: string): MailTransport & { close(): void } {
  const transporter: Transporter = nodemailer.createTransport({
    url: smtpUrl,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
  });
  return {
    sendMail: (message) => transporter.sendMail(message),
    close: () => transporter.close(),
  };
}

export function createEmailRunner(options: EmailRunnerOptions): ReactionRunner {
  return async (row) => {
    const topic = row.topic;
    if (!isOneOf(EMAIL_TOPICS, topic)) return skipped(`unknown_email_topic:${topic}`);
    if (row.subjectRef === null) return skipped('no_subject');
    const detail = await options.store.getSubject(row.subjectRef);
    const to = detail?.subject.email ?? null;
    if (to === null || to === '') return skipped('no_email_address');
    const message = composeEmail(row, topic, to, {
      templates: options.templates,
      from: options.from,
      retryUrl: options.retryUrl,
      attempts: detail?.subject.view.attempts ?? null,
    });
    try {
      await options.transport.sendMail(message);
    } catch (err) {
      return smtpFailure(err);
    }
    return done('sent');
  };
}

export function composeEmail(
  row: OutboxRecord,
  topic: EmailTopic,
  to: string,
  context: {
    templates: EmailTemplates;
    from: string;
    retryUrl?: string | undefined;
    attempts: { left: number; max: number } | null;
  },
): OutgoingEmail {
  // The app's own ref: a Connect account's subject is stored as account + ref (domain/subject-key.ts).
  const ref = splitSubjectKey(row.subjectRef ?? '').ref;
  const values: TemplateValues = {
    ref,
    match_status: row.reaction.match?.status ?? null,
    reason: row.reaction.lastError?.reason ?? null,
    retry_url: context.retryUrl ? context.retryUrl.replaceAll('{ref}', encodeURIComponent(ref)) : null,
    attempts_left: context.attempts ? context.attempts.left : null,
    attempts_max: context.attempts ? context.attempts.max : null,
    session_id: row.sessionId,
  };
  const template = context.templates[topic];
  return {
    from: context.from,
    to,
    // A header value is one line whatever the template or Stripe's reason says.
    subject: renderTemplate(template.subject, values, 'text')
      .replace(/[\r\n]+/g, ' ')
      .trim(),
    text: renderTemplate(template.text, values, 'text'),
    html: renderTemplate(template.html, values, 'html'),
    messageId: `<${createHash('sha256').update(row.idempotencyKey).digest('hex').slice(0, 32)}@idv-outcomes>`,
    headers: { 'X-Idv-Reaction': row.topic },
  };
}

/**
 * SMTP answers 5xx for permanent failures (no such mailbox, policy rejection): sending again cannot
 * help, so the row is dead at once. Connection problems and 4xx (greylisting, full queue) are retried.
 * Only the code goes into the result: SMTP texts often quote the recipient's address.
 */
function smtpFailure(err: unknown): ReactionVerdict {
  const e = err as { responseCode?: number; code?: string; command?: string };
  if (typeof e.responseCode === 'number') {
    const text = `smtp ${e.responseCode}${e.command ? ` on ${e.command}` : ''}`;
    return e.responseCode >= 500 ? dead(text) : retry(text);
  }
  return retry(`smtp ${e.code ?? 'error'}`);
}
