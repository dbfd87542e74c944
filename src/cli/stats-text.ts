/** `idv stats` for a terminal: the figures of GET /admin/api/stats as aligned text (`--json` prints the answer). */
import type { StatsAnswer } from '../http/stats-report.js';
import { OUTCOME_STATES } from '../http/stats-report.js';

const pct = (r: number | null): string => (r === null ? '–' : `${(r * 100).toFixed(1)}%`);

/** 7200 → "2h 0m"; 45 → "45s". */
export function duration(seconds: number | null): string {
  if (seconds === null) return '–';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  return d > 0 ? `${d}d ${h}h` : h > 0 ? `${h}h ${m}m` : `${m}m ${s % 60}s`;
}

function table(rows: (string | number)[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  return rows.map(
    (r) =>
      '  ' +
      r
        .map((cell, i) => (i === 0 ? String(cell).padEnd(widths[i]!) : String(cell).padStart(widths[i]!)))
        .join('  ')
        .trimEnd(),
  );
}

function bucketLabel(start: string, interval: string, tz: string): string {
  const options: Intl.DateTimeFormatOptions =
    interval === 'hour'
      ? {
          timeZone: tz,
          year: 'numeric',
          month: '2-digit',
          day: '2-digit',
          hour: '2-digit',
          minute: '2-digit',
          hourCycle: 'h23',
        }
      : { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' };
  return new Intl.DateTimeFormat('sv-SE', options).format(new Date(start));
}

export function statsText(a: StatsAnswer): string {
  const f = a.funnel;
  const lines = [
    `Subjects first recorded ${a.from} – ${a.to} (${a.tz}, by ${a.interval}).`,
    'Figures cover what retention has kept.',
    '',
    'Funnel',
    ...table([
      ['started', f.started, ''],
      ['submitted', f.submitted, pct(f.submitted_rate)],
      ['verified', f.verified, `${pct(f.verified_rate)} (${pct(f.verified_of_submitted)} of submitted)`],
    ]),
    '',
    `Outcomes by ${a.interval}`,
    ...table([
      ['', ...OUTCOME_STATES, 'in_progress'],
      ...a.outcomes.map((o) => [
        bucketLabel(o.start, a.interval, a.tz),
        ...OUTCOME_STATES.map((s) => o[s]),
        o.in_progress,
      ]),
    ]),
    '',
    'Failure codes',
    ...(a.failure_codes.length === 0
      ? ['  none']
      : table([
          ['', 'subjects', 'submissions', 'later verified'],
          ...a.failure_codes.map((c) => [
            c.code,
            c.subjects,
            c.submissions,
            `${c.later_verified} (${pct(c.later_verified_share)})`,
          ]),
        ])),
    '',
    `Time to verify: p50 ${duration(a.time_to_verify.p50_seconds)}, p90 ${duration(a.time_to_verify.p90_seconds)} (${a.time_to_verify.verified} verified)`,
    `Attempts used by verified users: ${
      a.attempts.verified_by_attempts_used.map((x) => `${x.used}: ${x.subjects}`).join(', ') || 'none'
    }; attempts exhausted: ${a.attempts.exhausted}`,
    '',
    ...reviewLines(a.reviews),
    '',
    'Reactions',
    ...(Object.keys(a.reactions).length === 0
      ? ['  none']
      : table([
          ['', 'done', 'failed', 'dead'],
          ...Object.entries(a.reactions).map(([kind, r]) => [kind, r.done, r.failed, r.dead]),
        ])),
  ];
  return `${lines.join('\n')}\n`;
}

function reviewLines(r: StatsAnswer['reviews']): string[] {
  const decided = Object.entries(r.decided).map(([d, n]) => `${d} ${n}`);
  const oldest =
    r.backlog.oldest_age_seconds === null ? '' : `, oldest ${duration(r.backlog.oldest_age_seconds)}`;
  return [
    `Reviews: opened ${r.opened}; decided ${decided.join(', ') || 'none'}; open now ${r.backlog.open}${oldest}`,
    ...r.by_operator.map((o) => {
      const { operator_id, decided: total, ...byDecision } = o;
      const parts = Object.entries(byDecision).map(([d, n]) => `${d} ${n}`);
      return `  ${operator_id ?? '(no operator)'}: ${total} (${parts.join(', ')})`;
    }),
  ];
}
