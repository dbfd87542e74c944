/**
 * Email templates: one set per email topic (domain/terms.ts EMAIL_TOPICS), three files each —
 * `<topic>.subject.txt`, `<topic>.txt` (plain text) and `<topic>.html`. The built-in set ships in the
 * package's `templates/` folder; `IDV_TEMPLATES_DIR` may hold any of the same files, and a file found
 * there replaces the built-in one. Everything is read once at start-up, so a missing or unreadable file
 * stops start-up instead of failing an email at 3 a.m.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EMAIL_TOPICS, type EmailTopic } from '../../domain/index.js';

export interface EmailTemplate {
  subject: string;
  text: string;
  html: string;
}

export type EmailTemplates = Readonly<Record<EmailTopic, EmailTemplate>>;

/** `templates/` at the package root: three levels up from src/reactions/email/ and dist/reactions/email/. */
export const BUILT_IN_TEMPLATES_DIR = fileURLToPath(new URL('../../../templates/', import.meta.url));

const PARTS = { subject: 'subject.txt', text: 'txt', html: 'html' } as const;

export function loadEmailTemplates(overrideDir?: string | undefined): EmailTemplates {
  const result = {} as Record<EmailTopic, EmailTemplate>;
  for (const topic of EMAIL_TOPICS) {
    const read = (suffix: string) => {
      const name = `${topic}.${suffix}`;
      const override = overrideDir === undefined ? undefined : join(overrideDir, name);
      const file =
        override !== undefined && existsSync(override) ? override : join(BUILT_IN_TEMPLATES_DIR, name);
      try {
        return readFileSync(file, 'utf8');
      } catch (err) {
        throw new Error(
          `email template ${name}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
          {
            cause: err,
          },
        );
      }
    };
    result[topic] = {
      // A subject is one line: trailing newlines of the file are not part of it.
      subject: read(PARTS.subject).replace(/\s+$/, ''),
      text: read(PARTS.text),
      html: read(PARTS.html),
    };
  }
  return Object.freeze(result);
}
