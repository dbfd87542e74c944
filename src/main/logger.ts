/**
 * Structured JSON logs (pino). Personal data never reaches a log: callers log ids and reasons, not payloads;
 * the redact list is a second line of defence for fields that could carry it by accident.
 */
import { pino, type Logger } from 'pino';

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: { service: 'idv' },
      redact: {
        paths: [
          '*.payload',
          '*.email',
          '*.to',
          '*.headers.authorization',
          '*.verified_outputs',
          '*.provided_details',
        ],
        censor: '[redacted]',
      },
    },
    destination ?? pino.destination(1),
  );
}
