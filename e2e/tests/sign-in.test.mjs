import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { snap, startWorld } from '../support/env.mjs';

let world;
let sink;
let api;
let browser;

before(async () => {
  world = await startWorld();
  ({ sink, api, browser } = world);
});

after(() => world?.stop());

test('a newcomer registers with an emailed code, stays signed in across a reload, and signs out', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const email = `ana-${Date.now()}@example.com`;

  await page.goto(api.url);
  await page.getByLabel('Email').waitFor();
  assert.match(page.url(), /\/sign-in/);
  await snap(page, 'sign-in-01-email');

  await page.getByRole('button', { name: 'Create an account' }).click();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Display name').fill('Ana Lima');
  await page.getByRole('button', { name: /send|continue|create/i }).first().click();

  const codeInput = page.getByLabel('Code');
  await codeInput.waitFor();
  const code = await sink.waitForCode(email);

  // A wrong code first: a clear message, and the page stays usable.
  await codeInput.fill(code === '000000' ? '111111' : '000000');
  await codeInput.press('Enter');
  await page.getByRole('alert').filter({ hasText: /not right/i }).waitFor();
  await snap(page, 'sign-in-02-wrong-code');

  await codeInput.fill(code);
  await codeInput.press('Enter');
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  await page.getByText('Ana Lima').first().waitFor();
  await snap(page, 'sign-in-03-signed-in');

  await page.reload();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  assert.equal(await page.getByText('Ana Lima').first().isVisible(), true);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByLabel('Email').waitFor();
  assert.match(page.url(), /\/sign-in/);
  await context.close();
});

test('the sign-in page fits a phone screen', async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  await page.goto(`${api.url}/sign-in`);
  await page.getByLabel('Email').waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than the phone screen`);
  await snap(page, 'sign-in-04-phone');
  await context.close();
});
