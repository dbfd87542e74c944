/**
 * A process killed in the middle of sending emails does not hold them for minutes: the rows it had leased
 * are taken over by the restarted service within 30 s (short, renewed leases), and every email goes out.
 */
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterAll, expect, it } from 'vitest';
import { spawnIdv } from '../helpers/child.js';
import { WEBHOOK_SECRET } from '../helpers/service.js';
import { postSigned, sessionEvent, uniqueId } from '../helpers/stripe-events.js';
import { tempDir } from '../helpers/temp.js';
import { waitFor } from '../helpers/wait.js';

const temp = tempDir();
afterAll(() => temp.cleanup());

/** An SMTP server that holds every message open (never answers its DATA) until `accept()` is called. */
async function stallingSmtp() {
  let accepting = false;
  const inFlight: string[] = [];
  const delivered = new Set<string>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, _session, callback) {
      let raw = '';
      stream.on('data', (chunk: Buffer) => (raw += chunk.toString()));
      stream.on('end', () => {
        const to = /^To: (.*)$/im.exec(raw)?.[1]?.trim() ?? '';
        if (!accepting) {
          inFlight.push(to);
          return; // never answered: the sender is mid-send when it is killed
        }
        delivered.add(to);
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as { port: number }).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    inFlight,
    delivered,
    accept: () => (accepting = true),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

it('emails in flight when the process is killed go out within 30 s of the restart', async () => {
  const smtp = await stallingSmtp();
  const env = {
    STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    IDV_DATABASE_URL: `sqlite:${join(temp.dir, 'idv.db')}`,
    SMTP_URL: smtp.url,
    IDV_WORKER_POLL_MS: '50',
    IDV_DISPATCH_POLL_MS: '50',
  };
  const first = await spawnIdv(['serve', '--port', '0'], env);
  const users = Array.from({ length: 5 }, (_, i) => `crash_mail_${i}`);
  for (const ref of users) {
    const event = sessionEvent({
      type: 'identity.verification_session.verified',
      sessionId: uniqueId('vs'),
      subject: ref,
      email: `${ref}@example.com`,
    });
    expect((await postSigned(first.url, event, WEBHOOK_SECRET)).status).toBe(200);
  }
  // The dispatcher has claimed the batch and is stuck sending its first email (one SMTP connection at a time).
  await waitFor(() => (smtp.inFlight.length > 0 ? true : undefined), 15_000, 'an email in flight');
  first.proc.kill('SIGKILL');
  await first.exited;

  smtp.accept();
  const second = await spawnIdv(['serve', '--port', '0'], env);
  const restartedAt = Date.now();
  try {
    await waitFor(
      () => (users.every((ref) => smtp.delivered.has(`${ref}@example.com`)) ? true : undefined),
      30_000,
      'every email delivered after the restart',
    );
    expect(Date.now() - restartedAt).toBeLessThan(30_000);
  } finally {
    second.proc.kill('SIGTERM');
    await second.exited;
    await smtp.close();
  }
}, 60_000);
