/**
 * The comparison of what the app expected (`expected` at session create) with what Stripe verified
 * (`verified_outputs`, reference §1), field by field. Pure: the verification date comes in as a value.
 *
 * Rules (README "Comparing verified outputs"):
 * - Names are normalised before comparing: Unicode NFKC (full-width and compatibility forms), case folding
 *   (lower case, `ß` → `ss`, final `ς` → `σ`), diacritics removed (NFD, combining marks dropped: `é` → `e`,
 *   also in other scripts), apostrophes removed (`O'Brien` = `OBrien`), hyphens, dots and commas read as
 *   spaces (`Jean-Luc` = `Jean Luc`), whitespace collapsed. There is no transliteration: a name in
 *   another script than the document's does not match.
 * - The expected given name matches the verified given names whole or their first name
 *   (`Mary` matches `Mary Ann`; `Ann` does not). The last name is compared whole (`García` does not match
 *   `García Márquez`). Swapped first and last names do not match.
 * - `dob` (YYYY-MM-DD) must equal the verified date of birth exactly.
 * - `min_age`: the age on the verification date (UTC). The birthday itself counts; someone born on
 *   29 February turns a year older on 1 March in years without one.
 * - `country` (ISO 3166-1 alpha-2) is compared with the verified address's country, case-insensitively.
 *
 * Each expected field is judged on its own: `absent` when the app did not expect it, `unavailable` when
 * the verified side could not be read (`undefined`: no permission, 48 hours passed) or is empty (`null`).
 */
export const MATCH_RESULTS = Object.freeze(['match', 'mismatch', 'unavailable', 'absent'] as const);
export type MatchResult = (typeof MATCH_RESULTS)[number];
export const MATCH_STATUSES = Object.freeze(['matched', 'mismatched', 'unavailable', 'not_checked'] as const);
export type MatchStatus = (typeof MATCH_STATUSES)[number];
export const MATCH_FIELDS = Object.freeze(['name', 'dob', 'min_age', 'country'] as const);
export type MatchField = (typeof MATCH_FIELDS)[number];

export interface ExpectedData {
  first_name?: string;
  last_name?: string;
  /** YYYY-MM-DD */
  dob?: string;
  min_age?: number;
  /** ISO 3166-1 alpha-2 */
  country?: string;
}

export interface DateParts {
  day: number | null;
  month: number | null;
  year: number | null;
}

/** `undefined`: could not be read; `null`: Stripe has no value. */
export interface VerifiedData {
  first_name: string | null | undefined;
  last_name: string | null | undefined;
  dob: DateParts | null | undefined;
  country: string | null | undefined;
  /** When the session was verified, ms since the epoch: the date `min_age` is judged on. */
  verifiedAt: number;
}

export interface MatchOutcome {
  status: MatchStatus;
  fields: Record<MatchField, MatchResult>;
}

/** The normal form names are compared in. */
export function normaliseName(name: string): string {
  return name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/ς/g, 'σ')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/['’ʼ‘`´]/g, '')
    .replace(/[-‐‑‒–—.,]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function givenNameMatches(expected: string, verified: string): boolean {
  const want = normaliseName(expected);
  if (want === '') return false;
  if (want === normaliseName(verified)) return true;
  // Split on whitespace before hyphens become spaces: `Jean-Luc` is one given name.
  const first = verified.normalize('NFKC').trim().split(/\s+/)[0] ?? '';
  return want === normaliseName(first);
}

function compareName(expected: ExpectedData, verified: VerifiedData): MatchResult {
  if (expected.first_name === undefined && expected.last_name === undefined) return 'absent';
  const parts: MatchResult[] = [];
  if (expected.first_name !== undefined) {
    const got = verified.first_name;
    parts.push(
      got == null ? 'unavailable' : givenNameMatches(expected.first_name, got) ? 'match' : 'mismatch',
    );
  }
  if (expected.last_name !== undefined) {
    const got = verified.last_name;
    const want = normaliseName(expected.last_name);
    parts.push(
      got == null ? 'unavailable' : want !== '' && want === normaliseName(got) ? 'match' : 'mismatch',
    );
  }
  return worst(parts);
}

/** Parses YYYY-MM-DD into a real calendar date, or undefined. */
export function parseDob(value: string): { year: number; month: number; day: number } | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day)
    return undefined;
  return { year, month, day };
}

function fullDate(dob: DateParts | null | undefined): { year: number; month: number; day: number } | null {
  if (!dob || dob.year === null || dob.month === null || dob.day === null) return null;
  return { year: dob.year, month: dob.month, day: dob.day };
}

function compareDob(expected: ExpectedData, verified: VerifiedData): MatchResult {
  if (expected.dob === undefined) return 'absent';
  const got = fullDate(verified.dob);
  const want = parseDob(expected.dob);
  if (!got || !want) return 'unavailable';
  return got.year === want.year && got.month === want.month && got.day === want.day ? 'match' : 'mismatch';
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Whole years of age on `on` (UTC date); a 29 February birthday falls on 1 March in other years. */
export function ageOn(dob: { year: number; month: number; day: number }, on: number): number {
  const date = new Date(on);
  const [year, month, day] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
  let [bMonth, bDay] = [dob.month, dob.day];
  if (bMonth === 2 && bDay === 29 && !isLeapYear(year)) [bMonth, bDay] = [3, 1];
  const hadBirthday = month > bMonth || (month === bMonth && day >= bDay);
  return year - dob.year - (hadBirthday ? 0 : 1);
}

function compareMinAge(expected: ExpectedData, verified: VerifiedData): MatchResult {
  if (expected.min_age === undefined) return 'absent';
  const got = fullDate(verified.dob);
  if (!got) return 'unavailable';
  return ageOn(got, verified.verifiedAt) >= expected.min_age ? 'match' : 'mismatch';
}

function compareCountry(expected: ExpectedData, verified: VerifiedData): MatchResult {
  if (expected.country === undefined) return 'absent';
  const got = verified.country;
  if (got == null || got === '') return 'unavailable';
  return got.trim().toUpperCase() === expected.country.trim().toUpperCase() ? 'match' : 'mismatch';
}

function worst(results: readonly MatchResult[]): MatchResult {
  for (const result of ['mismatch', 'unavailable', 'match'] as const)
    if (results.includes(result)) return result;
  return 'absent';
}

export function compareVerified(expected: ExpectedData, verified: VerifiedData): MatchOutcome {
  const fields: Record<MatchField, MatchResult> = {
    name: compareName(expected, verified),
    dob: compareDob(expected, verified),
    min_age: compareMinAge(expected, verified),
    country: compareCountry(expected, verified),
  };
  const overall = worst(Object.values(fields));
  const status: MatchStatus =
    overall === 'mismatch'
      ? 'mismatched'
      : overall === 'unavailable'
        ? 'unavailable'
        : overall === 'match'
          ? 'matched'
          : 'not_checked';
  return { status, fields };
}

export interface SideBySideRow {
  field: 'first_name' | 'last_name' | 'dob' | 'min_age' | 'country';
  expected: string | number | null;
  verified: string | null;
  result: MatchResult;
}

/**
 * Expected next to verified, one row per expected field, for a reviewer who revealed the outputs (the
 * console shows a mismatch side by side). Personal data: for a `no-store` answer only, never a log.
 */
export function sideBySide(expected: ExpectedData, verified: VerifiedData): SideBySideRow[] {
  const outcome = compareVerified(expected, verified);
  const dob = fullDate(verified.dob);
  const dobText = dob
    ? `${String(dob.year).padStart(4, '0')}-${String(dob.month).padStart(2, '0')}-${String(dob.day).padStart(2, '0')}`
    : null;
  const rows: SideBySideRow[] = [];
  const nameOnly = (field: 'first_name' | 'last_name') => compareName({ [field]: expected[field] }, verified);
  if (expected.first_name !== undefined)
    rows.push({
      field: 'first_name',
      expected: expected.first_name,
      verified: verified.first_name ?? null,
      result: nameOnly('first_name'),
    });
  if (expected.last_name !== undefined)
    rows.push({
      field: 'last_name',
      expected: expected.last_name,
      verified: verified.last_name ?? null,
      result: nameOnly('last_name'),
    });
  if (expected.dob !== undefined)
    rows.push({ field: 'dob', expected: expected.dob, verified: dobText, result: outcome.fields.dob });
  if (expected.min_age !== undefined)
    rows.push({
      field: 'min_age',
      expected: expected.min_age,
      verified: dobText,
      result: outcome.fields.min_age,
    });
  if (expected.country !== undefined)
    rows.push({
      field: 'country',
      expected: expected.country,
      verified: verified.country ?? null,
      result: outcome.fields.country,
    });
  return rows;
}
