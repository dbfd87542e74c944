/**
 * How long idv keeps each kind of record (README "Security and privacy"). 0 keeps it forever. Only records
 * that need nobody any more are deleted: pending, failed and dead events and reactions are kept whatever
 * their age, and a subject only in a final state (verified, rejected, canceled) and untouched for that long.
 */
import type { EnvSpec } from './flags.js';
import type { Reader } from './reader.js';

export interface RetentionSettings {
  /** Processed and ignored events. */
  readonly eventsDays: number;
  /** Emails and callbacks that were sent or skipped. */
  readonly reactionsDays: number;
  /** Subjects in a final state, with their sessions, history, cases, reactions and events. */
  readonly subjectsDays: number;
  /** Lines of the audit log. */
  readonly auditDays: number;
}

export const RETENTION_VARIABLES: readonly EnvSpec[] = [
  {
    name: 'IDV_RETENTION_EVENTS_DAYS',
    description: 'processed and ignored events older than this are deleted (0 keeps them)',
  },
  { name: 'IDV_EVENT_RETENTION_DAYS', description: 'the former name of IDV_RETENTION_EVENTS_DAYS' },
  {
    name: 'IDV_RETENTION_REACTIONS_DAYS',
    description: 'sent or skipped emails and callbacks older than this are deleted',
  },
  {
    name: 'IDV_RETENTION_SUBJECTS_DAYS',
    description:
      'subjects in a final state untouched this long are deleted with all their records (0 keeps them)',
  },
  {
    name: 'IDV_RETENTION_AUDIT_DAYS',
    description: 'audit log lines older than this are deleted (0 keeps them)',
  },
];

export function readRetention(read: Reader): RetentionSettings {
  const legacy = read.int('IDV_EVENT_RETENTION_DAYS', 30, 0, 36_500);
  return {
    eventsDays: read.int('IDV_RETENTION_EVENTS_DAYS', legacy, 0, 36_500),
    reactionsDays: read.int('IDV_RETENTION_REACTIONS_DAYS', 90, 0, 36_500),
    subjectsDays: read.int('IDV_RETENTION_SUBJECTS_DAYS', 0, 0, 36_500),
    auditDays: read.int('IDV_RETENTION_AUDIT_DAYS', 400, 0, 36_500),
  };
}
