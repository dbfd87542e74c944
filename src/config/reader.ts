/**
 * The one way settings are read, whatever their source: environment variables, command-line flags (keyed
 * `--name`, or by the variable a flag overrides) or library options mapped onto variable names. A Reader
 * never throws while reading: every bad value becomes a problem naming the setting and the expected form,
 * and `finish` reports all of them at once, so a user fixes their environment in one pass.
 *
 * It also records which names were read and with which defaults: `idv <command> --help` prints them,
 * and a test checks that each command's help lists exactly the variables its loader reads.
 */
import { IdvError } from '../errors.js';

export type Source = Readonly<Record<string, string | undefined>>;

export class Reader {
  private readonly problems: string[] = [];
  /** Every name read, in reading order. */
  readonly names = new Set<string>();
  /** The fallback used when a name is unset, as text (for the help). */
  readonly defaults = new Map<string, string>();

  /**
   * @param labels how a name is shown in messages, when not as itself (library mode names its options:
   *   `STRIPE_WEBHOOK_SECRET` → `webhookSecret`).
   */
  constructor(
    private readonly source: Source,
    private readonly labels: Readonly<Record<string, string>> = {},
  ) {}

  label(name: string): string {
    return this.labels[name] ?? name;
  }

  /** A problem with one setting: `<label>: <text>`. */
  problem(name: string, text: string): void {
    this.problems.push(`${this.label(name)}: ${text}`);
  }

  /** A problem that is not about one setting (an unknown flag, a stray argument). */
  report(text: string): void {
    this.problems.push(text);
  }

  string(name: string, fallback?: string): string | undefined {
    this.names.add(name);
    if (fallback !== undefined) this.defaults.set(name, fallback);
    const value = this.source[name]?.trim();
    return value === undefined || value === '' ? fallback : value;
  }

  /** A comma-separated list; blanks around and between items are dropped. */
  list(name: string): string[] {
    const value = this.string(name);
    return value === undefined
      ? []
      : value
          .split(',')
          .map((part) => part.trim())
          .filter((part) => part !== '');
  }

  /** A switch flag: present or not. */
  switch(name: string): boolean {
    return this.string(name) === 'true';
  }

  int(name: string, fallback: number, min: number, max: number): number {
    const value = this.string(name);
    this.defaults.set(name, String(fallback));
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!/^-?\d+$/.test(value) || n < min || n > max) {
      this.problem(name, `expected a whole number from ${min} to ${max}, got "${value.slice(0, 20)}"`);
      return fallback;
    }
    return n;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = this.string(name, fallback)!;
    if (!allowed.includes(value as T)) {
      this.problem(name, `expected one of ${allowed.join(', ')}, got "${value.slice(0, 20)}"`);
      return fallback;
    }
    return value as T;
  }

  intList(name: string, fallback: readonly number[]): readonly number[] {
    const parts = this.list(name);
    this.defaults.set(name, fallback.join(','));
    if (parts.length === 0) return fallback;
    if (parts.some((part) => !/^\d+$/.test(part))) {
      this.problem(name, 'expected comma-separated milliseconds, e.g. 10000,60000,300000');
      return fallback;
    }
    return parts.map(Number);
  }

  url(name: string, fallback?: string): string | undefined {
    const value = this.string(name, fallback);
    if (value === undefined) return undefined;
    try {
      new URL(value);
      return value;
    } catch {
      // The value is not echoed: URLs such as SMTP_URL carry passwords.
      this.problem(name, 'expected an absolute URL such as https://host/path or smtp://user:pass@host:587');
      return undefined;
    }
  }

  /** Throws one config_invalid error listing every problem; otherwise returns `value`, deeply frozen. */
  finish<T>(value: T): T {
    if (this.problems.length > 0) {
      // One option may stand for two names (library mode's pollIntervalMs); say it once.
      const problems = [...new Set(this.problems)];
      throw new IdvError('config_invalid', `Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    }
    return deepFreeze(value);
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
