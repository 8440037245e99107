import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@memory-context/config';
import { createTestDatabase, type TestDatabase } from '@memory-context/db/testing';
import { startStack, type Stack } from '@memory-context/embedded';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eventually, graphql, ok, TEST_SECRET } from './src/index.js';

/** Debian's Chromium, which `.ci/run` installs; under CI its absence is a failure, not a skip. */
const CHROMIUM = process.env.MEMCTX_CHROMIUM ?? '/usr/bin/chromium';
const haveBrowser = existsSync(CHROMIUM) || Boolean(process.env.CI);
if (!haveBrowser) console.warn(`explorer browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set MEMCTX_CHROMIUM)`);

(haveBrowser ? describe : describe.skip)('the gateway in a real browser, offline', () => {
  let stack: Stack;
  let testDatabase: TestDatabase;
  let browser: BrowserContext;
  let profile: string;
  let gateway: string;
  let token: string;

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    const config = loadConfig({ MEMCTX_DATA_DIR: mkdtempSync(join(tmpdir(), 'memctx-explorer-')), MEMCTX_JWT_SECRET: TEST_SECRET, MEMCTX_LOG_LEVEL: 'silent' });
    stack = await startStack({ config, database: testDatabase.database, ephemeralPorts: true, sandboxToken: true });
    gateway = new URL(stack.gatewayUrl).origin;
    token = await stack.token('dev');
    ok(await graphql(stack.gatewayUrl, 'mutation { createSession(input: { privacyLevel: TEAM, title: "Seen in the explorer" }) { id } }', {}, token));
    profile = mkdtempSync(join(tmpdir(), 'memctx-chromium-'));
    // A fresh profile each run: no cached CDN script, no stored explorer tabs.
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await testDatabase?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  /** A page that can reach the gateway and nothing else: Apollo's CDN is unreachable. */
  async function offlinePage(): Promise<{ page: Page; outside: string[] }> {
    const page = await browser.newPage();
    const outside: string[] = [];
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(`${gateway}/`)) return route.continue();
      outside.push(url);
      return route.abort('internetdisconnected');
    });
    return { page, outside };
  }

  it('the local explorer loads offline, shows the schema docs and runs a query with the pre-filled token', async () => {
    const { page, outside } = await offlinePage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${gateway}/explorer`);

    await page.getByRole('button', { name: /documentation explorer/i }).click();
    const docs = page.locator('.graphiql-doc-explorer');
    await docs.getByText('Query', { exact: true }).click();
    await eventually(async () => expect(await docs.textContent()).toMatch(/sessions/), { timeoutMs: 30_000 });

    await page.getByRole('button', { name: /execute query/i }).click();
    const result = page.locator('.graphiql-response');
    await eventually(async () => expect(await result.textContent()).toContain('Seen in the explorer'), { timeoutMs: 30_000 });
    expect(await result.textContent()).not.toContain('UNAUTHENTICATED');
    expect(errors).toEqual([]);
    expect(outside).toEqual([]);
    await page.close();
  }, 90_000);

  it('the Sandbox landing page offers the local explorer when Apollo\'s CDN is unreachable', async () => {
    const { page, outside } = await offlinePage();
    await page.goto(`${gateway}/graphql`, { waitUntil: 'load' });
    expect(outside.some((url) => url.includes('embeddable-sandbox.cdn.apollographql.com'))).toBe(true);
    const link = page.locator('#local-explorer-link');
    await link.waitFor({ state: 'visible', timeout: 30_000 });
    await link.click();
    await page.waitForURL(`${gateway}/explorer`);
    await page.getByRole('button', { name: /execute query/i }).waitFor({ timeout: 30_000 });
    await page.close();
  }, 90_000);

  it('the Sandbox landing page keeps the offer hidden when Sandbox\'s script loads', async () => {
    const page = await browser.newPage();
    // Stands in for the CDN: a script that defines what the real one defines.
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(`${gateway}/`)) return route.continue();
      if (url.includes('embeddable-sandbox.cdn.apollographql.com')) {
        return route.fulfill({ contentType: 'text/javascript', body: 'window.EmbeddedSandbox = function EmbeddedSandbox() {};' });
      }
      return route.abort('internetdisconnected');
    });
    await page.goto(`${gateway}/graphql`, { waitUntil: 'load' });
    expect(await page.locator('#embeddableSandbox').count()).toBe(1);
    expect(await page.locator('#local-explorer-offer').isHidden()).toBe(true);
    await page.close();
  }, 90_000);
});
