/**
 * What a subject reference (the application's user id) may be: 1 to 128 characters (code points) of
 * printable Unicode. Control and format characters (Unicode categories Cc, Cf), lone surrogates (Cs) and
 * line or paragraph separators (Zl, Zp) are refused: they cannot be stored everywhere (U+0000 in
 * PostgreSQL), they break log lines and headers, and invisible ones make two refs look alike to an
 * operator. The limit keeps every key built from a ref (idempotency keys, index entries) bounded, and fits
 * Stripe's metadata values (500 characters), where idv writes the ref.
 */
export const SUBJECT_REF_MAX_LENGTH = 128;

const FORBIDDEN = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u;

/** Why `ref` is not a valid subject reference, or null when it is. */
export function subjectRefProblem(ref: string): string | null {
  if (ref === '') return 'is empty';
  // Counting code points, not UTF-16 units: an emoji is one character to whoever chose the ref.
  let length = 0;
  for (const _ of ref) if (++length > SUBJECT_REF_MAX_LENGTH) break;
  if (length > SUBJECT_REF_MAX_LENGTH) return `is longer than ${SUBJECT_REF_MAX_LENGTH} characters`;
  if (FORBIDDEN.test(ref)) return 'holds a control, format or separator character';
  return null;
}
