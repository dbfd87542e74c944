/**
 * Connect: events of connected accounts carry `account` (reference §4 "Event object"), and two accounts may
 * well have a user with the same ref, so a subject is identified by account + ref. Stored as one key: the
 * platform's own subjects keep their ref unchanged; a connected account's subject is
 * `<acct_…>` U+001F `<ref>`. The separator is a control character, which a subject ref may never hold
 * (subject-ref.ts), so no platform ref can collide with a connected one. The app only ever sees the ref and
 * the account apart (`GET /v1/subjects/:ref?account=acct_…`, callbacks' `subject.account`).
 */
export const ACCOUNT_SEPARATOR = '\u001f';

const ACCOUNT = /^acct_[A-Za-z0-9]{1,200}$/;

export function isAccountId(value: unknown): value is string {
  return typeof value === 'string' && ACCOUNT.test(value);
}

/** The stored key of `ref` in `account` (null/undefined: the platform's own subject). */
export function subjectKey(account: string | null | undefined, ref: string): string {
  return account ? `${account}${ACCOUNT_SEPARATOR}${ref}` : ref;
}

/** The account and the app's ref of a stored key. */
export function splitSubjectKey(key: string): { account: string | null; ref: string } {
  const at = key.indexOf(ACCOUNT_SEPARATOR);
  return at < 0 ? { account: null, ref: key } : { account: key.slice(0, at), ref: key.slice(at + 1) };
}
