/**
 * How the client talks to idv: one request with a Bearer token, an error answer thrown as IdvApiError with
 * the catalogue's stable `code`.
 */
export interface IdvClientOptions {
  /** Where idv serves, e.g. `http://127.0.0.1:4242`. */
  baseUrl: string;
  /** IDV_API_TOKEN, for the app API (/v1). */
  apiToken?: string;
  /** An operator token (`idv operator add`) or IDV_ADMIN_TOKEN, for the admin API. */
  operatorToken?: string;
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
}

/**
 * An error answer of idv: `{ error: { code, message, retryable, param? } }`. An answer that is not idv's
 * JSON (a proxy's error page, or a 2xx that is not JSON) has code `not_idv_json`, `body` null and its
 * text in `text`.
 */
export class IdvApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly retryable: boolean;
  readonly param: string | undefined;
  readonly body: unknown;
  readonly text: string;

  constructor(status: number, body: unknown, text = '') {
    const error = (body as { error?: Record<string, unknown> } | null)?.error;
    super(
      typeof error?.message === 'string'
        ? error.message
        : `idv answered ${status} with ${error ? 'an error without a message' : 'something that is not its JSON'}`,
    );
    this.name = 'IdvApiError';
    this.status = status;
    this.code = typeof error?.code === 'string' ? error.code : 'not_idv_json';
    this.retryable = error?.retryable === true;
    this.param = typeof error?.param === 'string' ? error.param : undefined;
    this.body = body;
    this.text = text;
  }
}

// `object`, not a Record: the calls' own query interfaces (no index signature) are assignable to it.
export type Query = object;

export interface Transport {
  send(
    kind: 'app' | 'operator',
    method: string,
    path: string,
    query?: Query,
    body?: unknown,
  ): Promise<Response>;
  json<T>(kind: 'app' | 'operator', method: string, path: string, query?: Query, body?: unknown): Promise<T>;
}

export function transport(options: IdvClientOptions): Transport {
  const base = options.baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch;

  async function send(
    kind: 'app' | 'operator',
    method: string,
    path: string,
    query: Query = {},
    body?: unknown,
  ): Promise<Response> {
    const option = kind === 'app' ? 'apiToken' : 'operatorToken';
    const token = options[option];
    if (token === undefined) throw new TypeError(`This call needs ${option}.`);
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(query as Record<string, unknown>)) {
      if (value !== undefined) search.set(key, String(value));
    }
    const qs = search.toString();
    const res = await doFetch(`${base}${path}${qs ? `?${qs}` : ''}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!res.ok) {
      const text = await res.text();
      throw new IdvApiError(res.status, parseOrNull(text), text);
    }
    return res;
  }

  async function json<T>(res: Response): Promise<T> {
    const text = await res.text();
    const parsed = parseOrNull(text);
    if (parsed === null) throw new IdvApiError(res.status, null, text);
    return parsed as T;
  }

  return {
    send,
    json: async <T>(kind: 'app' | 'operator', method: string, path: string, query?: Query, body?: unknown) =>
      json<T>(await send(kind, method, path, query, body)),
  };
}

/** The JSON of an answer, or null when it is not JSON (a proxy's page). */
function parseOrNull(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
