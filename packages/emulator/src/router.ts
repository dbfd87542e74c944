/**
 * A tiny method + path router with `:param` segments; the emulator's surface is small and fixed, so a
 * framework would add more than it saves.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { FormObject } from './form-body.js';
import type { KeyKind } from './session-render.js';

export interface ApiRequest {
  method: string;
  path: string;
  pathParams: Record<string, string>;
  /** Query string and body, decoded and merged (stripe-node sends GET params in the query, POST in the body). */
  params: FormObject;
  headers: IncomingHttpHeaders;
  requestId: string;
  idempotencyKey: string | null;
  keyKind: KeyKind;
}

export type Reply =
  | { kind: 'json'; status: number; body: unknown }
  | { kind: 'html'; status: number; body: string }
  | { kind: 'binary'; status: number; contentType: string; body: Buffer }
  | { kind: 'redirect'; location: string };

export type Handler = (request: ApiRequest) => Reply;

export interface Route {
  method: string;
  pattern: RegExp;
  names: string[];
  handler: Handler;
  /** Hosted pages are opened by the person being verified, who has no API key. */
  public: boolean;
}

export class Router {
  private readonly routes: Route[] = [];

  add(method: string, path: string, handler: Handler, options: { public?: boolean } = {}): this {
    const names: string[] = [];
    const source = path.replace(/:([a-z_]+)/g, (_match, name: string) => {
      names.push(name);
      return '([^/]+)';
    });
    this.routes.push({
      method,
      pattern: new RegExp(`^${source}$`),
      names,
      handler,
      public: options.public ?? false,
    });
    return this;
  }

  /** The matching route, or `'method_not_allowed'` when the path exists with another method. */
  match(
    method: string,
    path: string,
  ): { route: Route; pathParams: Record<string, string> } | 'method_not_allowed' | undefined {
    let pathMatched = false;
    for (const route of this.routes) {
      const found = route.pattern.exec(path);
      if (!found) continue;
      pathMatched = true;
      if (route.method !== method) continue;
      const pathParams: Record<string, string> = {};
      route.names.forEach((name, i) => (pathParams[name] = decodeURIComponent(found[i + 1] ?? '')));
      return { route, pathParams };
    }
    return pathMatched ? 'method_not_allowed' : undefined;
  }
}

export function json(body: unknown, status = 200): Reply {
  return { kind: 'json', status, body };
}
