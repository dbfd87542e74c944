/**
 * A local SMTP server that keeps what it receives in memory, so the demo shows the emails idv sends
 * without a real mail server. Listens on 127.0.0.1 only; accepts any credentials.
 */
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface CapturedEmail {
  id: number;
  at: string;
  to: string[];
  subject: string;
  text: string;
}

export interface MailSink {
  /** `smtp://127.0.0.1:<port>`, the value for SMTP_URL. */
  url: string;
  messages: CapturedEmail[];
  close(): Promise<void>;
}

export async function startMailSink(options: { port?: number; keep?: number } = {}): Promise<MailSink> {
  const messages: CapturedEmail[] = [];
  const keep = options.keep ?? 200;
  let next = 1;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          messages.unshift({
            id: next++,
            at: new Date().toISOString(),
            to: session.envelope.rcptTo.map((r) => r.address),
            subject: mail.subject ?? '',
            text: mail.text ?? '',
          });
          messages.splice(keep);
          callback();
        })
        .catch((err: Error) => callback(err));
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
