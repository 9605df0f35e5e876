import { existsSync } from 'node:fs';
import { after, type TestContext } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium (.ci/run installs it); nothing is downloaded at run time. */
export const CHROMIUM = process.env.SD_TEST_CHROMIUM ?? '/usr/bin/chromium';

/**
 * How long a suite (or a lone test) of Chromium tests may take: a guard against a hang, not a goal
 * for speed. On a slow 2-core machine running three test files at a time, the pages' and the uptime
 * bars' suites (axe at two widths in two schemes) took over the 120 s they had (2026-12-08).
 */
export const BROWSER_TIMEOUT_MS = 600_000;

let shared: Promise<Browser> | undefined;

after(async () => {
  await (await shared)?.close();
});

/**
 * The test process's Chromium, launched on first use (a launch costs more than most browser
 * tests). Every context the test opens is closed when it ends, in the order of its after-hooks:
 * call this before setting up the server, so that no open page still polls it when it closes.
 */
export async function launchBrowser(t: TestContext): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: install Debian's chromium package (apt-get install -y chromium)`);
  shared ??= chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const browser = await shared;
  t.after(() => Promise.all(browser.contexts().map((context) => context.close())));
  return browser;
}

/**
 * Everything that goes wrong in `page` from now on, as it happens: console errors and warnings,
 * uncaught errors, failed requests and answers of 400 or more. A test expects the list empty.
 */
export function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => problems.push(`failed: ${request.url()} ${request.failure()?.errorText ?? ''}`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`${response.status()}: ${response.url()}`);
  });
  return problems;
}
