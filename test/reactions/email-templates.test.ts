import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EMAIL_TOPICS, type EmailTopic } from '../../src/domain/index.js';
import { composeEmail } from '../../src/reactions/email/email-reaction.js';
import { renderTemplate } from '../../src/reactions/email/render.js';
import { loadEmailTemplates } from '../../src/reactions/email/templates.js';
import type { OutboxRecord } from '../../src/store/records.js';
import { tempDir } from '../helpers/temp.js';

function row(topic: EmailTopic, reason: string | null): OutboxRecord {
  return {
    id: 1,
    idempotencyKey: `user_1:email:${topic}:x`,
    kind: 'email',
    topic,
    subjectRef: 'user_1',
    sessionId: 'vs_1',
    reaction: {
      kind: 'email',
      topic,
      idempotencyKey: `user_1:email:${topic}:x`,
      subjectRef: 'user_1',
      sessionId: 'vs_1',
      state: 'retry_required',
      lastError: reason === null ? null : { code: 'document_expired', reason },
      category: 'retry',
      eventId: 'evt_1',
    },
    status: 'pending',
    attempts: 1,
    nextAttemptAt: 0,
    lastError: null,
    result: null,
    createdAt: 0,
    completedAt: null,
  };
}

describe('email templates', () => {
  it('render sections, inverted sections and escaped values', () => {
    const t = '{{#a}}A={{a}}{{/a}}{{^b}} no b{{/b}} {{c}}';
    expect(renderTemplate(t, { a: '<x>', c: 'y' }, 'text')).toBe('A=<x> no b y');
    expect(renderTemplate(t, { a: '<x>', b: '1' }, 'html')).toBe('A=&lt;x&gt; ');
  });

  it('every built-in topic has a subject, a text and an HTML part', () => {
    const templates = loadEmailTemplates();
    for (const topic of EMAIL_TOPICS) {
      const email = composeEmail(row(topic, 'The document is expired.'), topic, 'u@example.test', {
        templates,
        from: 'Acme <id@acme.test>',
        retryUrl: 'https://app.test/verify/{ref}',
        attempts: { left: 2, max: 3 },
      });
      expect(email.subject).not.toBe('');
      expect(email.subject).not.toContain('\n');
      expect(email.text).not.toMatch(/\{\{/);
      expect(email.html).toMatch(/^<!doctype html>/);
      expect(email.messageId).toMatch(/^<[0-9a-f]{32}@idv-outcomes>$/);
    }
  });

  it('the retry email shows the reason and the link, escaped in HTML', () => {
    const templates = loadEmailTemplates();
    const email = composeEmail(
      row('retry_required', 'Photo <blurry> & dark'),
      'retry_required',
      'u@example.test',
      {
        templates,
        from: 'x@y',
        retryUrl: 'https://app.test/verify?u={ref}&step=1',
        attempts: { left: 1, max: 3 },
      },
    );
    expect(email.text).toContain('Why: Photo <blurry> & dark');
    expect(email.text).toContain('https://app.test/verify?u=user_1&step=1');
    expect(email.html).toContain('Photo &lt;blurry&gt; &amp; dark');
    expect(email.html).toContain('href="https://app.test/verify?u=user_1&amp;step=1"');
  });

  it('without a retry URL the retry email sends the user to their account instead', () => {
    const email = composeEmail(row('retry_required', null), 'retry_required', 'u@example.test', {
      templates: loadEmailTemplates(),
      from: 'x@y',
      attempts: null,
    });
    expect(email.text).toContain('You can start a new attempt from your account.');
    expect(email.text).not.toContain('Why:');
    expect(email.html).not.toContain('<a ');
  });

  it('a file in the templates directory replaces the built-in one', () => {
    const temp = tempDir();
    try {
      mkdirSync(temp.dir, { recursive: true });
      writeFileSync(join(temp.dir, 'verified.subject.txt'), 'Welcome aboard, {{ref}}\n');
      const templates = loadEmailTemplates(temp.dir);
      const email = composeEmail(row('verified', null), 'verified', 'u@example.test', {
        templates,
        from: 'x@y',
        attempts: null,
      });
      expect(email.subject).toBe('Welcome aboard, user_1');
      expect(email.text).toContain('Your verification is complete');
    } finally {
      temp.cleanup();
    }
  });
});
