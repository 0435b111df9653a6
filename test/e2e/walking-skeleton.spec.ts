import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startWebHost, type RunningWebHost } from '../../electron/web-host/start';
import { filesContaining, filesUnder } from './helpers';

// One journey on real parts: a fresh data folder, the real core and embedded Partners API
// server, the built renderer in Debian's Chromium. Each step leaves a screenshot.

let dataDir: string;
let host: RunningWebHost;

test.beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'partnerdesk-e2e-'));
  host = await startWebHost({ dataDir });
});

test.afterAll(async () => {
  await host?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function snap(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: test.info().outputPath(`${name}.png`), fullPage: true });
}

test('first run, create a partner, see its key once, browse it offline', async ({ page }) => {
  // First run: "This computer" is set up with no questions asked.
  await page.goto(host.url);
  await expect(page.getByTestId('account-switcher')).toContainText('This computer');
  await expect(page.getByTestId('partners-empty')).toBeVisible();
  await snap(page, '01-first-run');

  // Create a partner with two scopes and a monthly limit.
  await page.getByTestId('new-partner-button').click();
  const form = page.getByRole('dialog', { name: 'New partner' });
  await form.getByLabel('Name').fill('Research agent');
  await form.getByLabel('Description').fill('Nightly literature sweep');
  await form.getByRole('checkbox', { name: 'Send messages' }).check();
  await form.getByRole('checkbox', { name: 'Read partners, usage and audit' }).check();
  await form.getByLabel('Monthly token limit').fill('500000');
  await snap(page, '02-new-partner-form');
  await form.getByRole('button', { name: 'Create partner' }).click();

  // The key is shown once.
  await expect(form).toBeHidden();
  const keyBox = page.getByTestId('new-partner-key');
  await expect(keyBox).toBeVisible();
  const apiKey = (await keyBox.innerText()).trim();
  expect(apiKey).toMatch(/^sk-ant-partner-[0-9A-Za-z]{43}$/);
  await expect(page.getByRole('dialog', { name: /key/i })).toContainText("won't be shown again");
  await snap(page, '03-key-shown-once');

  // The key really authenticates against the server; a wrong one does not.
  const serverUrl = host.core.embeddedServer.url();
  expect(serverUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  const asPartner = await fetch(`${serverUrl}/v1/partners`, {
    headers: { 'x-api-key': apiKey, 'anthropic-version': '2023-06-01' },
  });
  expect(asPartner.status).toBe(200);
  const listed = (await asPartner.json()) as { data: Array<{ name: string; permissions: string[]; max_tokens_per_month: number }> };
  expect(listed.data).toHaveLength(1);
  expect(listed.data[0]).toMatchObject({ name: 'Research agent', max_tokens_per_month: 500000 });
  expect([...(listed.data[0]?.permissions ?? [])].sort()).toEqual(['admin:read', 'messages:write']);
  const wrongKey = apiKey.slice(0, -1) + (apiKey.endsWith('A') ? 'B' : 'A');
  const rejected = await fetch(`${serverUrl}/v1/partners`, {
    headers: { 'x-api-key': wrongKey, 'anthropic-version': '2023-06-01' },
  });
  expect(rejected.status).toBe(401);

  // Escape does not close the dialog: the key is lost with one keypress otherwise.
  const keyDialog = page.getByRole('dialog', { name: 'Save this key now' });
  await page.keyboard.press('Escape');
  await expect(keyDialog).toBeVisible();
  await expect(keyBox).toHaveText(apiKey);

  // Only the explicit button closes it, and the key leaves the page with it.
  await keyDialog.getByRole('button', { name: "I've saved the key" }).click();
  await expect(keyDialog).toBeHidden();
  expect(await page.content()).not.toContain(apiKey);

  // After a reload the partner is listed and the key is gone from the page, disk and logs.
  await page.reload();
  const row = page.getByTestId('partner-row').filter({ hasText: 'Research agent' });
  await expect(row).toBeVisible();
  await expect(row).toContainText('500,000');
  await expect(row).toContainText('…' + apiKey.slice(-4));
  expect(await page.content()).not.toContain(apiKey);
  const files = filesUnder(dataDir);
  expect(files.some((f) => f.endsWith('partnerdesk.db'))).toBe(true);
  expect(files.some((f) => f.endsWith('partners.db'))).toBe(true);
  expect(files.some((f) => f.endsWith('.log'))).toBe(true);
  // The scan itself works: it does find what the cache is meant to hold.
  expect(filesContaining(dataDir, 'Nightly literature sweep').length).toBeGreaterThan(0);
  expect(filesContaining(dataDir, apiKey)).toEqual([]);
  expect(filesContaining(dataDir, apiKey.slice('sk-ant-partner-'.length))).toEqual([]);
  await snap(page, '04-listed-after-reload');

  // A long unbroken name and description (a pasted URL) wrap: the page never grows sideways.
  const longName = `Crawler-${'x'.repeat(92)}`;
  const longUrl = `https://example.com/${'a'.repeat(960)}`;
  await page.getByTestId('new-partner-button').click();
  await form.getByLabel('Name').fill(longName);
  await form.getByLabel('Description').fill(longUrl);
  await form.getByRole('button', { name: 'Create partner' }).click();
  await expect(keyDialog).toContainText(longName);
  await expect(keyDialog).toHaveJSProperty('scrollWidth', await keyDialog.evaluate((el) => el.clientWidth));
  await snap(page, '05-long-name-key');
  await keyDialog.getByRole('button', { name: "I've saved the key" }).click();
  await expect(keyDialog).toBeHidden();
  await expect(page.getByTestId('partner-row')).toHaveCount(2);
  // A string: this file is compiled for Node, where `document` has no type.
  const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
  expect(overflow).toBe(0);
  const table = await page.getByTestId('partners-table').boundingBox();
  expect(table && table.x + table.width).toBeLessThanOrEqual(1280);
  await snap(page, '06-long-name-listed');

  // The server goes away: the partner still shows, from the cache, with an offline notice.
  await host.core.embeddedServer.stop();
  await page.reload();
  await expect(page.getByTestId('offline-notice')).toBeVisible();
  await expect(page.getByTestId('offline-notice')).toContainText('Showing saved partners; last synced');
  await expect(page.getByTestId('partner-row').filter({ hasText: 'Research agent' })).toBeVisible();
  await snap(page, '07-offline-from-cache');
});
