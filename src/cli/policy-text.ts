/**
 * The effective policy as `idv policy show` prints it, and as the README's "Policy" section shows the
 * built-in one (npm run docs:policy writes it there; test/unit/policy-docs.test.ts fails when they differ).
 * Both come from policyRows, which runs the domain's own rules.
 */
import { stringify } from 'yaml';
import { POLICY_KEYS, policyRows, type Policy } from '../domain/index.js';

/** Every key of the policy file, documented; typed so that a new key cannot go undocumented. */
const KEY_DOCS: Readonly<Record<(typeof POLICY_KEYS)[number], readonly [string, string]>> = {
  max_attempts: ['`3`', 'failed submissions a subject may use, 1 to 20; every failure code counts'],
  categories: [
    'the table below',
    'failure code → `retry`, `alternative`, `review` or `reject`, merged onto the defaults; a code no one categorised goes to `review`',
  ],
  exhausted: [
    '`review`',
    'where a subject goes once its attempts are used up: `review` or `alternative` (`in_review`) or `reject` (`rejected`)',
  ],
  verified_outputs: [
    '`on_mismatch: review`, `on_unavailable: review`',
    'what a comparison with the expected data decides: `on_mismatch` `review`, `reject` or `accept`; `on_unavailable` `review` or `accept`',
  ],
  session: [
    '—',
    'defaults of the sessions idv creates: `type`, `verification_flow`, `options`, `return_url` (see [Sessions API](#sessions-api))',
  ],
};

const code = (text: string) => `\`${text}\``;

export function policyMarkdown(policy: Policy): string {
  const rows = policyRows(policy);
  const codeRows = rows.map((r) => [
    code(r.code),
    code(r.category),
    code(r.firstState),
    r.reactions.map(code).join(', ') || '—',
    code(r.exhaustedState),
  ]);
  const keyRows = POLICY_KEYS.map((key) => [code(key), ...KEY_DOCS[key]]);
  return [
    table(['key', 'default', 'meaning'], keyRows),
    '',
    table(
      [
        'failure code',
        'category',
        'subject after one failure',
        'reactions',
        `after ${policy.maxAttempts} failures`,
      ],
      codeRows,
    ),
    '',
  ].join('\n');
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** `idv policy show`: the policy's settings, then what happens with every code. */
export function policyText(policy: Policy, source: string): string {
  const settings = {
    max_attempts: policy.maxAttempts,
    exhausted: policy.exhausted,
    unknown_codes: policy.unknownCategory,
    ...(policy.verifiedOutputs
      ? {
          verified_outputs: {
            on_mismatch: policy.verifiedOutputs.onMismatch,
            on_unavailable: policy.verifiedOutputs.onUnavailable,
          },
        }
      : {}),
    ...(policy.session ? { session: policy.session } : {}),
  };
  const rows = policyRows(policy);
  const cells = [
    ['code', 'category', 'after one failure', 'reactions', `after ${policy.maxAttempts} failures`],
    ...rows.map((r) => [r.code, r.category, r.firstState, r.reactions.join(', ') || '-', r.exhaustedState]),
  ];
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((row) => row[i]!.length)));
  const lines = cells.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd(),
  );
  return [`Policy: ${source}`, '', stringify(settings).trimEnd(), '', ...lines, ''].join('\n');
}
