/**
 * Debian's chromium driven by playwright-core (no browser download here). Without it the browser tests
 * skip, saying why, except under CI=true, where a missing browser fails the run as a missing PostgreSQL does.
 */
import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

/** Why the browser tests skip, or false to run them; throws under CI=true when chromium is missing. */
export function skipBrowser(): string | false {
  if (hasChromium) return false;
  if (process.env.CI === 'true') throw new Error(`CI=true but ${CHROMIUM} is missing: install chromium`);
  return `${CHROMIUM} is not installed`;
}

export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** Collects the page's console errors and uncaught exceptions (a CSP violation is one). */
export function consoleErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(String(error)));
  return errors;
}
