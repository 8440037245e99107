import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestStack, type TestStack } from './src/index.js';

/** The local explorer's HTTP surface; e2e/explorer.browser.test.ts drives it in Chromium. */
describe('local explorer (development)', () => {
  let stack: TestStack;
  let origin: string;
  beforeAll(async () => {
    stack = await startTestStack();
    origin = new URL(stack.gatewayUrl).origin;
  });
  afterAll(async () => stack?.stop());

  it('serves GraphiQL and its assets from the gateway, under a CSP that admits only this origin', async () => {
    const page = await fetch(`${origin}/explorer`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? '');
    expect(assets).toHaveLength(5);
    for (const asset of assets) {
      expect(asset.startsWith('/explorer/assets/')).toBe(true);
      const response = await fetch(`${origin}${asset}`);
      expect(response.status).toBe(200);
      expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(100);
    }
  });

  it('answers an unknown asset with 404', async () => {
    const response = await fetch(`${origin}/explorer/assets/..%2F..%2Fpackage.json`);
    expect(response.status).toBe(404);
  });
});

describe('local explorer (production)', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ env: 'production' });
  });
  afterAll(async () => stack?.stop());

  it('is not served, like Sandbox', async () => {
    const origin = new URL(stack.gatewayUrl).origin;
    expect((await fetch(`${origin}/explorer`)).status).toBe(404);
    expect((await fetch(`${origin}/explorer/assets/graphiql.js`)).status).toBe(404);
  });
});
