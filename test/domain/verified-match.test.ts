import { describe, expect, it } from 'vitest';
import {
  ageOn,
  compareVerified,
  normaliseName,
  sideBySide,
  type ExpectedData,
  type MatchResult,
  type VerifiedData,
} from '../../src/domain/index.js';

const at = (iso: string) => Date.parse(`${iso}T12:00:00Z`);
const dob = (iso: string) => {
  const [year, month, day] = iso.split('-').map(Number);
  return { year: year!, month: month!, day: day! };
};

function verified(overrides: Partial<VerifiedData> = {}): VerifiedData {
  return {
    first_name: 'Jenny',
    last_name: 'Rosen',
    dob: dob('1990-03-14'),
    country: 'US',
    verifiedAt: at('2026-12-01'),
    ...overrides,
  };
}

type Row = [
  description: string,
  expected: ExpectedData,
  verified: Partial<VerifiedData>,
  field: 'name' | 'dob' | 'min_age' | 'country',
  result: MatchResult,
];

const ROWS: Row[] = [
  // Names: normalisation.
  ['identical names', { first_name: 'Jenny', last_name: 'Rosen' }, {}, 'name', 'match'],
  ['case differs', { first_name: 'JENNY', last_name: 'rosen' }, {}, 'name', 'match'],
  [
    'accents on the document, not in the app',
    { first_name: 'Jose', last_name: 'Garcia' },
    { first_name: 'José', last_name: 'García' },
    'name',
    'match',
  ],
  [
    'accents in the app, not on the document',
    { first_name: 'Zoë', last_name: 'Müller' },
    { first_name: 'ZOE', last_name: 'MULLER' },
    'name',
    'match',
  ],
  [
    'combining accent vs precomposed (NFKC/NFD)',
    { last_name: 'Cafe\u0301' },
    { last_name: 'Café' },
    'name',
    'match',
  ],
  ['full-width letters (NFKC)', { first_name: 'Ｊｅｎｎｙ' }, {}, 'name', 'match'],
  ['German sharp s folds to ss', { last_name: 'Strauss' }, { last_name: 'Strauß' }, 'name', 'match'],
  ['extra and odd whitespace', { first_name: '  Jenny ', last_name: 'Rosen\u00a0' }, {}, 'name', 'match'],
  [
    'hyphenated surname written with a space',
    { last_name: 'Smith Jones' },
    { last_name: 'Smith-Jones' },
    'name',
    'match',
  ],
  [
    'en dash in a hyphenated surname',
    { last_name: 'Smith–Jones' },
    { last_name: 'SMITH-JONES' },
    'name',
    'match',
  ],
  ['apostrophe left out', { last_name: 'OBrien' }, { last_name: "O'Brien" }, 'name', 'match'],
  ['typographic apostrophe', { last_name: 'D’Angelo' }, { last_name: "D'ANGELO" }, 'name', 'match'],
  [
    'double surname, both given',
    { last_name: 'Garcia Marquez' },
    { last_name: 'García Márquez' },
    'name',
    'match',
  ],
  [
    'double surname, only the first given',
    { last_name: 'García' },
    { last_name: 'García Márquez' },
    'name',
    'mismatch',
  ],
  // Given names.
  [
    'first of several given names',
    { first_name: 'Mary' },
    { first_name: 'Mary Ann Louise' },
    'name',
    'match',
  ],
  ['all given names', { first_name: 'Mary Ann' }, { first_name: 'Mary Ann' }, 'name', 'match'],
  ['a later given name only', { first_name: 'Ann' }, { first_name: 'Mary Ann' }, 'name', 'mismatch'],
  [
    'hyphenated given name is one name',
    { first_name: 'Jean' },
    { first_name: 'Jean-Luc' },
    'name',
    'mismatch',
  ],
  [
    'hyphenated given name written with a space',
    { first_name: 'Jean Luc' },
    { first_name: 'Jean-Luc' },
    'name',
    'match',
  ],
  ['a different person', { first_name: 'John', last_name: 'Rosen' }, {}, 'name', 'mismatch'],
  ['first and last swapped', { first_name: 'Rosen', last_name: 'Jenny' }, {}, 'name', 'mismatch'],
  ['nickname is not the name', { first_name: 'Bob' }, { first_name: 'Robert' }, 'name', 'mismatch'],
  // Non-Latin scripts.
  [
    'Cyrillic in both',
    { first_name: 'Анна', last_name: 'Иванова' },
    { first_name: 'АННА', last_name: 'ИВАНОВА' },
    'name',
    'match',
  ],
  ['Cyrillic vs transliteration', { last_name: 'Ivanova' }, { last_name: 'Иванова' }, 'name', 'mismatch'],
  ['Greek final sigma folds', { last_name: 'ΠΑΠΑΔΟΠΟΥΛΟΣ' }, { last_name: 'Παπαδόπουλος' }, 'name', 'match'],
  ['Japanese in both', { last_name: '山田' }, { last_name: '山田' }, 'name', 'match'],
  ['verified name not readable', { first_name: 'Jenny' }, { first_name: undefined }, 'name', 'unavailable'],
  [
    'name mismatch wins over an unreadable part',
    { first_name: 'Jenny', last_name: 'Smith' },
    { first_name: null },
    'name',
    'mismatch',
  ],
  // Date of birth.
  ['dob exact', { dob: '1990-03-14' }, {}, 'dob', 'match'],
  [
    'dob day and month swapped (US vs European order)',
    { dob: '1990-04-03' },
    { dob: dob('1990-03-04') },
    'dob',
    'mismatch',
  ],
  ['dob one day off', { dob: '1990-03-15' }, {}, 'dob', 'mismatch'],
  ['dob on 29 February', { dob: '2004-02-29' }, { dob: dob('2004-02-29') }, 'dob', 'match'],
  ['dob not readable (no permission)', { dob: '1990-03-14' }, { dob: undefined }, 'dob', 'unavailable'],
  // Age on the verification date.
  [
    '18 on the birthday itself',
    { min_age: 18 },
    { dob: dob('2008-12-01'), verifiedAt: at('2026-12-01') },
    'min_age',
    'match',
  ],
  [
    '17 the day before the 18th birthday',
    { min_age: 18 },
    { dob: dob('2008-12-02'), verifiedAt: at('2026-12-01') },
    'min_age',
    'mismatch',
  ],
  [
    'leap-day birth, non-leap year, 28 February: not yet',
    { min_age: 18 },
    { dob: dob('2004-02-29'), verifiedAt: at('2022-02-28') },
    'min_age',
    'mismatch',
  ],
  [
    'leap-day birth, non-leap year, 1 March: turned 18',
    { min_age: 18 },
    { dob: dob('2004-02-29'), verifiedAt: at('2022-03-01') },
    'min_age',
    'match',
  ],
  [
    'leap-day birth, leap year, 29 February: turned 20',
    { min_age: 20 },
    { dob: dob('2004-02-29'), verifiedAt: at('2024-02-29') },
    'min_age',
    'match',
  ],
  [
    'age judged on the verification date, not today',
    { min_age: 21 },
    { dob: dob('2000-06-01'), verifiedAt: at('2021-05-31') },
    'min_age',
    'mismatch',
  ],
  ['min_age without a readable dob', { min_age: 18 }, { dob: undefined }, 'min_age', 'unavailable'],
  // Country.
  ['country equal', { country: 'US' }, {}, 'country', 'match'],
  ['country case differs', { country: 'us' }, {}, 'country', 'match'],
  ['country differs', { country: 'DE' }, {}, 'country', 'mismatch'],
  ['no verified address', { country: 'US' }, { country: null }, 'country', 'unavailable'],
  ['not expected', {}, {}, 'country', 'absent'],
];

describe('comparison of expected and verified data (table)', () => {
  it('has at least 30 real-world rows', () => expect(ROWS.length).toBeGreaterThanOrEqual(30));

  it.each(ROWS)('%s', (_description, expected, overrides, field, result) => {
    expect(compareVerified(expected, verified(overrides)).fields[field]).toBe(result);
  });
});

describe('overall status', () => {
  it('matched when every expected field matches', () => {
    expect(
      compareVerified({ first_name: 'Jenny', dob: '1990-03-14', min_age: 18, country: 'US' }, verified()),
    ).toEqual({
      status: 'matched',
      fields: { name: 'match', dob: 'match', min_age: 'match', country: 'match' },
    });
  });

  it('each field on its own: an unreadable dob leaves the name matched, status unavailable', () => {
    expect(compareVerified({ first_name: 'Jenny', dob: '1990-03-14' }, verified({ dob: undefined }))).toEqual(
      {
        status: 'unavailable',
        fields: { name: 'match', dob: 'unavailable', min_age: 'absent', country: 'absent' },
      },
    );
  });

  it('mismatched beats unavailable', () => {
    expect(
      compareVerified({ last_name: 'Smith', dob: '1990-03-14' }, verified({ dob: undefined })).status,
    ).toBe('mismatched');
  });

  it('not_checked when nothing was expected', () => {
    expect(compareVerified({}, verified()).status).toBe('not_checked');
  });
});

describe('helpers', () => {
  it('normalises names', () => {
    expect(normaliseName("  Ma-Rie  O'Neil\u0301l ")).toBe('ma rie oneill');
  });

  it('ageOn counts whole years in UTC', () => {
    expect(ageOn(dob('1990-03-14'), Date.parse('2026-03-13T23:59:59Z'))).toBe(35);
    expect(ageOn(dob('1990-03-14'), Date.parse('2026-03-14T00:00:00Z'))).toBe(36);
  });

  it('sideBySide gives expected next to verified for each expected field', () => {
    expect(sideBySide({ first_name: 'Jenny', last_name: 'Smith', min_age: 18 }, verified())).toEqual([
      { field: 'first_name', expected: 'Jenny', verified: 'Jenny', result: 'match' },
      { field: 'last_name', expected: 'Smith', verified: 'Rosen', result: 'mismatch' },
      { field: 'min_age', expected: 18, verified: '1990-03-14', result: 'match' },
    ]);
  });
});
