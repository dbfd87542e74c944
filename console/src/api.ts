/**
 * Talks to the admin API with the session cookie the browser holds (HttpOnly: this code never sees it).
 * Every state-changing request carries the session's CSRF token in `Idv-Csrf`; errors come back as the
 * service's `{ error: { code, message } }` and are thrown as ApiError.
 */
export interface SignedIn {
  operator: { id: string; name: string; role: 'viewer' | 'reviewer' | 'admin' };
  csrf_token: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

let csrf = '';

export function setCsrf(token: string): void {
  csrf = token;
}

export async function api<T = Record<string, unknown>>(
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method !== 'GET') headers['idv-csrf'] = csrf;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  const parsed = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
  if (!response.ok) {
    const error = (parsed.error ?? {}) as { code?: string; message?: string };
    throw new ApiError(response.status, error.code ?? 'error', error.message ?? `HTTP ${response.status}`);
  }
  return parsed as T;
}

/** A query string from the set values only. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}
