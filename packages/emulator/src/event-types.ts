/**
 * The six Identity snapshot event types (reference §2.3) and which webhook endpoints receive each.
 * `identity.verification_session.redacted` is only delivered to endpoints that list it explicitly; an
 * endpoint with `enabled_events: ['*']` does not get it (§2.3, §6 "Events you did not subscribe to").
 */
import { IDENTITY_EVENT_TYPES, type IdentityEventType } from '@idv-outcomes/stripe-identity/terms';

// The list is shared with idv-outcomes; the emulator re-exports it so its own modules import from one place.
export { IDENTITY_EVENT_TYPES, type IdentityEventType };

/** Types that `*` does not cover (reference §2.3). */
const EXPLICIT_ONLY: ReadonlySet<string> = new Set(['identity.verification_session.redacted']);

export function isIdentityEventType(value: string): value is IdentityEventType {
  return (IDENTITY_EVENT_TYPES as readonly string[]).includes(value);
}

/** Accepts a full type or its last segment (`verified` → `identity.verification_session.verified`). */
export function resolveIdentityEventType(value: string): IdentityEventType | undefined {
  const full = value.includes('.') ? value : `identity.verification_session.${value}`;
  return isIdentityEventType(full) ? full : undefined;
}

export function endpointWants(enabledEvents: readonly string[], type: string): boolean {
  if (enabledEvents.includes(type)) return true;
  return enabledEvents.includes('*') && !EXPLICIT_ONLY.has(type);
}

/**
 * `GET /v1/events?type=` accepts one name or a group with a `*` wildcard such as
 * `identity.verification_session.*` (reference §4.1).
 */
export function typePatternMatcher(pattern: string): (type: string) => boolean {
  if (!pattern.includes('*')) return (type) => type === pattern;
  const regex = new RegExp(`^${pattern.split('*').map(escapeRegex).join('.*')}$`);
  return (type) => regex.test(type);
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
