/**
 * Console sign-in on both stores: a token becomes an HttpOnly, SameSite=Strict cookie; the cookie reads the
 * admin API, writes need the session's Idv-Csrf as well; signing out ends the session at once; Bearer
 * tokens work as before.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceLegs } from '../helpers/service-legs.js';
import { ADMIN_TOKEN, type TestService } from '../helpers/service.js';

const LEGS = await serviceLegs();

describe.each(LEGS)('on the $name store', ({ skipReason, start }) => {
  if (skipReason) {
    it.skip(`is skipped: ${skipReason}`, () => undefined);
    return;
  }
  let service: TestService;
  beforeAll(async () => {
    service = await start();
  });
  afterAll(() => service.stop());

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${service.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  it('signs in with a token, reads with the cookie, writes only with the CSRF token, signs out', async () => {
    expect((await post('/admin/session', { token: 'wrong' })).status).toBe(401);
    const answer = await post('/admin/session', { token: ADMIN_TOKEN });
    expect(answer.status).toBe(200);
    const setCookie = answer.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(
      /^idv_console=[\w-]{43}; Path=\/admin; HttpOnly; SameSite=Strict; Max-Age=43200$/,
    );
    const body = (await answer.json()) as { operator: { id: string; role: string }; csrf_token: string };
    expect(body.operator).toMatchObject({ id: 'admin', role: 'admin' });
    const cookie = setCookie.split(';')[0]!;

    const me = await fetch(`${service.url}/admin/session`, { headers: { cookie } });
    expect(await me.json()).toEqual(body);
    expect((await fetch(`${service.url}/admin/api/reviews`, { headers: { cookie } })).status).toBe(200);

    const replay = (headers: Record<string, string>) =>
      post('/admin/api/reactions/replay', { status: 'dead' }, headers);
    const forged = await replay({ cookie });
    expect(forged.status).toBe(403);
    expect(((await forged.json()) as { error: { code: string } }).error.code).toBe('csrf_token_invalid');
    expect((await replay({ cookie, 'idv-csrf': 'x'.repeat(64) })).status).toBe(403);
    expect((await replay({ cookie, 'idv-csrf': body.csrf_token })).status).toBe(202);
    expect((await replay({ authorization: `Bearer ${ADMIN_TOKEN}` })).status).toBe(202);

    expect((await post('/admin/session/sign-out', {}, { cookie })).status).toBe(403);
    const out = await post('/admin/session/sign-out', {}, { cookie, 'idv-csrf': body.csrf_token });
    expect(out.status).toBe(200);
    expect(out.headers.get('set-cookie')).toContain('Max-Age=0');
    expect((await fetch(`${service.url}/admin/api/reviews`, { headers: { cookie } })).status).toBe(401);
    expect(await (await fetch(`${service.url}/admin/session`, { headers: { cookie } })).json()).toEqual({
      operator: null,
    });
  });

  it('marks the cookie Secure when the request came over https through a trusted proxy', async () => {
    const proxied = await start({ IDV_TRUST_PROXY: 'true' });
    try {
      const answer = await fetch(`${proxied.url}/admin/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https' },
        body: JSON.stringify({ token: ADMIN_TOKEN }),
      });
      expect(answer.headers.get('set-cookie')).toMatch(/; Secure$/);
    } finally {
      await proxied.stop();
    }
  });
});
