/**
 * `idv operator add|list|remove` against a running service's database, on both stores: the token is
 * printed once and works at once; list shows names and roles; remove stops the token at once; a taken
 * name, a bad role and the reserved name `admin` are refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { captureStream } from '../../packages/emulator/test/helpers.js';
import { dropSchema, schemaUrl, skipPostgres, uniqueSchema } from '../helpers/postgres.js';
import { startTestService, type TestService } from '../helpers/service.js';
import { tempDir } from '../helpers/temp.js';

const KEY = 'cd'.repeat(32);

async function idv(argv: string[], env: Record<string, string>) {
  const stdout = captureStream();
  const stderr = captureStream();
  const code = await main(argv, { env, stdout, stderr });
  return { code, out: stdout.text(), err: stderr.text() };
}

const pgSkip = await skipPostgres();
const temp = tempDir('idv-operator-cli-');
const schema = uniqueSchema('idv_operator_cli');
const LEGS = [
  { name: 'sqlite', skip: false as string | false, url: `sqlite:${temp.dir}/idv.db` },
  { name: 'postgres', skip: pgSkip, url: schemaUrl(schema) },
];
afterAll(async () => {
  temp.cleanup();
  if (!pgSkip) await dropSchema(schema);
});

describe.each(LEGS)('idv operator on $name', ({ skip, url }) => {
  if (skip) {
    it.skip(`is skipped: ${skip}`, () => undefined);
    return;
  }
  const env = { IDV_DATABASE_URL: url, IDV_ENCRYPTION_KEY: KEY };
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService(env);
  });
  afterAll(async () => {
    await service?.stop();
  });
  const get = (token: string) =>
    fetch(`${service.url}/admin/api/reviews`, { headers: { authorization: `Bearer ${token}` } });

  it('adds an operator whose token works at once, lists it, and removes it', async () => {
    const added = await idv(['operator', 'add', 'Rita Reviewer', '--role', 'reviewer'], env);
    expect(added.code).toBe(0);
    const token = /^(idvop_[0-9a-f]{64})$/m.exec(added.out)?.[1];
    expect(token).toBeDefined();
    expect((await get(token!)).status).toBe(200);

    const listed = await idv(['operator', 'list'], env);
    expect(listed.code).toBe(0);
    expect(listed.out).toMatch(/^op_[0-9a-f]{16}\treviewer\tRita Reviewer\t/m);
    expect(listed.out).not.toContain(token!);

    const removed = await idv(['operator', 'remove', 'Rita Reviewer'], env);
    expect(removed).toMatchObject({ code: 0 });
    expect((await get(token!)).status).toBe(401);
    expect((await idv(['operator', 'remove', 'Rita Reviewer'], env)).code).toBe(1);
  });

  it('refuses a taken name, a bad or missing role, and the name admin', async () => {
    expect((await idv(['operator', 'add', 'Vera', '--role', 'viewer'], env)).code).toBe(0);
    const twice = await idv(['operator', 'add', 'Vera', '--role', 'admin'], env);
    expect(twice.code).toBe(1);
    expect(twice.err).toContain('exists');
    const badRole = await idv(['operator', 'add', 'Otto', '--role', 'owner'], env);
    expect(badRole.code).toBe(2);
    expect(badRole.err).toContain('--role');
    expect((await idv(['operator', 'add', 'Otto'], env)).code).toBe(2);
    expect((await idv(['operator', 'add', 'admin', '--role', 'admin'], env)).code).toBe(2);
  });
});
