/**
 * The reaction runners for each outbox kind, built from configuration. An adapter that is not configured
 * still has a runner: it marks each row `skipped` with the reason (`smtp_not_configured`,
 * `callback_not_configured`), so operators see why nothing was sent instead of rows piling up as failed.
 */
import type { SubjectsAndReviews } from '../store/store.js';
import { createCallbackRunner } from './callback/callback-reaction.js';
import type { FetchLike } from './callback/client.js';
import { createEmailRunner, smtpTransport, type MailTransport } from './email/email-reaction.js';
import { loadEmailTemplates } from './email/templates.js';
import { skipAll, type ReactionRunner } from './verdict.js';

export interface ReactionSettings {
  smtpUrl?: string | undefined;
  emailFrom: string;
  templatesDir?: string | undefined;
  retryUrl?: string | undefined;
  callbackUrl?: string | undefined;
  callbackSecret?: string | undefined;
  callbackTimeoutMs: number;
}

export interface ReactionAdapters {
  runners: Record<string, ReactionRunner>;
  close(): void;
}

export function buildReactionRunners(
  settings: ReactionSettings,
  deps: {
    store: Pick<SubjectsAndReviews, 'getSubject'>;
    clock?: () => number;
    fetch?: FetchLike;
    /** Replaces the SMTP transport (library users with their own mailer). */
    transport?: MailTransport;
    /** Replaces the HTTP callback (library mode: in-process handlers). */
    callback?: ReactionRunner;
  },
): ReactionAdapters {
  const closers: (() => void)[] = [];
  let email: ReactionRunner = skipAll('smtp_not_configured');
  const transport =
    deps.transport ??
    (settings.smtpUrl
      ? (() => {
          const smtp = smtpTransport(settings.smtpUrl);
          closers.push(() => smtp.close());
          return smtp;
        })()
      : undefined);
  if (transport) {
    email = createEmailRunner({
      store: deps.store,
      transport,
      from: settings.emailFrom,
      templates: loadEmailTemplates(settings.templatesDir),
      retryUrl: settings.retryUrl,
    });
  }

  let callback: ReactionRunner = deps.callback ?? skipAll('callback_not_configured');
  if (!deps.callback && settings.callbackUrl && settings.callbackSecret) {
    callback = createCallbackRunner({
      url: settings.callbackUrl,
      secret: settings.callbackSecret,
      timeoutMs: settings.callbackTimeoutMs,
      fetch: deps.fetch,
      clock: deps.clock,
    });
  }
  return { runners: { email, callback }, close: () => closers.forEach((close) => close()) };
}

export type { ReactionRunner, ReactionVerdict } from './verdict.js';
export type { CallbackPayload } from './callback/payload.js';
export { buildCallbackPayload, callbackId } from './callback/payload.js';
export type { MailTransport, OutgoingEmail } from './email/email-reaction.js';
