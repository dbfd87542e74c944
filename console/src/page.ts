/** What a console page is: a path pattern under `#/`, a title, the least role it needs and its renderer. */
import type { SignedIn } from './api.js';

export type Role = SignedIn['operator']['role'];
const RANK: Record<Role, number> = { viewer: 0, reviewer: 1, admin: 2 };

export function hasRole(operator: SignedIn['operator'], role: Role): boolean {
  return RANK[operator.role] >= RANK[role];
}

export interface PageContext {
  operator: SignedIn['operator'];
  /** The `:name` parts of the path. */
  params: Record<string, string>;
  /** The query after the path (`#/subjects?state=rejected`). */
  query: URLSearchParams;
  /** Goes to another page (`/subjects?state=…`). */
  navigate(path: string): void;
  /** Renders the current page again (after an action). */
  refresh(): void;
  /** Shows a confirmation line at the top of the page. */
  flash(message: string, kind?: 'ok' | 'error'): void;
}

export interface ConsolePage {
  /** `/reviews/:id`: segments starting with `:` are parameters. */
  path: string;
  title: string;
  /** Shown in the navigation (detail pages are not). */
  nav: boolean;
  /** The least role that sees the page; viewer when absent. */
  role?: Role;
  render(context: PageContext): Promise<Node>;
}

/** The page and parameters for `path`, or undefined. */
export function match(
  pages: readonly ConsolePage[],
  path: string,
): { page: ConsolePage; params: Record<string, string> } | undefined {
  const parts = path.split('/').filter(Boolean);
  for (const page of pages) {
    const pattern = page.path.split('/').filter(Boolean);
    if (pattern.length !== parts.length) continue;
    const params: Record<string, string> = {};
    const ok = pattern.every((segment, i) => {
      if (segment.startsWith(':')) {
        params[segment.slice(1)] = decodeURIComponent(parts[i]!);
        return true;
      }
      return segment === parts[i];
    });
    if (ok) return { page, params };
  }
  return undefined;
}
