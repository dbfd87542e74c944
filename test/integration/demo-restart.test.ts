/**
 * `npm start` run again: the demo's data folder keeps idv's database, and now the emulator's account too
 * (emulator-state.json), so a user who started a verification before the restart finishes it after — no
 * `No such verification_session`. Each demo user gets an address of their own on the page.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_PAGE } from '../../src/demo/page.js';
import { IDV_BIN } from '../helpers/child.js';
import { tempDir } from '../helpers/temp.js';
import { waitFor } from '../helpers/wait.js';

const temp = tempDir('idv-demo-restart-');
const running: ChildProcess[] = [];
afterAll(async () => {
  for (const proc of running) await stop(proc);
  temp.cleanup();
});

async function startDemo(): Promise<{ proc: ChildProcess; url: string }> {
  const ports = ['--port', '0', '--service-port', '0', '--emulator-port', '0'];
  const proc = spawn(process.execPath, [IDV_BIN, 'demo', '--data', temp.dir, ...ports], {
    env: { PATH: process.env.PATH ?? '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(proc);
  let output = '';
  proc.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  proc.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const url = await waitFor(
    () => /Demo page:\s+(http:\/\/\S+)/.exec(output)?.[1],
    20_000,
    `the demo:\n${output}`,
  );
  return { proc, url };
}

async function stop(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  proc.kill('SIGINT');
  await exited;
}

async function openSession(demoUrl: string, ref: string) {
  const res = await fetch(`${demoUrl}/demo/api/subjects/${ref}/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: `${ref}@demo.test`, return_url: `${demoUrl}/?ref=${ref}` }),
  });
  const body = (await res.json()) as { session_id: string; url: string; error?: { message: string } };
  expect(res.status, body.error?.message).toBeLessThan(300);
  return body;
}

describe('idv demo, stopped and started again on the same data folder', () => {
  it("continues a user's verification that began before the restart", async () => {
    const ref = 'demo_restart_user';
    const first = await startDemo();
    const before = await openSession(first.url, ref);
    await stop(first.proc);
    expect(existsSync(join(temp.dir, 'emulator-state.json'))).toBe(true);

    const second = await startDemo();
    // The demo page asks again for the user's session: idv reuses the open one, which the emulator knows.
    const after = await openSession(second.url, ref);
    expect(after.session_id).toBe(before.session_id);
    const submitted = await fetch(after.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'outcome=verified',
      redirect: 'manual',
    });
    expect(submitted.status).toBe(303);
    await waitFor(
      async () => {
        const res = await fetch(`${second.url}/demo/api/subjects/${ref}`);
        return ((await res.json()) as { state: string }).state === 'verified' ? true : undefined;
      },
      15_000,
      'the user verified after the restart',
    );
  });

  it('pre-fills a different address for each demo user', () => {
    expect(DEMO_PAGE).not.toContain('value="demo.user@example.test"');
    const line = DEMO_PAGE.split('\n').find((l) => l.includes('function demoEmail'))!;
    const demoEmail = new Function(`${line}; return demoEmail;`)() as (ref: string) => string;
    expect(demoEmail('demo_user_ab12c')).toBe('demo.user.ab12c@demo.test');
    expect(demoEmail('demo_user_x9y8z')).not.toBe(demoEmail('demo_user_ab12c'));
    expect(DEMO_PAGE).toContain("sessionStorage.getItem('demo-email:' + ref) || demoEmail(ref)");
  });
});
