import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { snap, startWorld } from '../support/env.mjs';
import { apiCall, signInViaApi } from '../support/people.mjs';

let world;
let sink;
let api;
let browser;

before(async () => {
  world = await startWorld();
  ({ sink, api, browser } = world);
});

after(() => world?.stop());

test('a newcomer continues with email, names the account after the code, stays signed in across a reload, and signs out', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const email = `ana-${Date.now()}@example.com`;

  await page.goto(api.url);
  await page.getByLabel('Email').waitFor();
  assert.match(page.url(), /\/sign-in/);
  // One flow: nobody has to know whether they have an account.
  assert.equal(await page.getByText(/create an account/i).count(), 0);
  await snap(page, 'sign-in-01-email');

  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Continue with email' }).click();

  const codeInput = page.getByLabel('Code');
  await codeInput.waitFor();
  const code = await sink.waitForCode(email, 0);

  // A wrong code first: a clear message, and the page stays usable.
  await codeInput.fill(code === '000000' ? '111111' : '000000');
  await codeInput.press('Enter');
  await page.getByRole('alert').filter({ hasText: /not right/i }).waitFor();
  await snap(page, 'sign-in-02-wrong-code');

  // Six digits submit by themselves (pressing Enter too would race the step that replaces the field).
  await codeInput.fill(code);
  // New here: the right code asks for the name, then makes the account.
  await page.getByLabel('Display name').fill('Ana Lima');
  await snap(page, 'sign-in-03-name');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  await page.getByText('Ana Lima').first().waitFor();
  await snap(page, 'sign-in-04-signed-in');

  // No credential where a script could read it: the access token is in memory, the refresh token an HttpOnly cookie.
  const visible = await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }) + document.cookie);
  assert.doesNotMatch(visible, /eyJ|parley_refresh/);
  const cookies = await context.cookies();
  const refresh = cookies.find((c) => c.name === 'parley_refresh');
  assert.ok(refresh, 'the refresh cookie is set');
  assert.equal(refresh.httpOnly, true);
  assert.equal(refresh.sameSite, 'Strict');
  assert.equal(refresh.path, '/api/auth');

  await page.reload();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  assert.equal(await page.getByText('Ana Lima').first().isVisible(), true);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByLabel('Email').waitFor();
  assert.match(page.url(), /\/sign-in/);
  assert.equal((await context.cookies()).some((c) => c.name === 'parley_refresh'), false);
  // Signed out for real: a reload stays on the sign-in page.
  await page.reload();
  await page.getByLabel('Email').waitFor();
  assert.match(page.url(), /\/sign-in/);
  await context.close();
});

test('an invited person without an account: the link says who invited them where, the email is filled in, and they join', async () => {
  const owner = await signInViaApi(api, sink, `owner-${Date.now()}@example.com`, 'Olga Owner');
  const workspace = await apiCall(api, owner, 'POST', '/api/workspaces', { name: 'Harbour' });
  const email = `newbie-${Date.now()}@example.com`;
  const invite = await apiCall(api, owner, 'POST', `/api/workspaces/${workspace.id}/invites`, { email });

  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(invite.acceptUrl);
  await page.getByRole('heading', { name: 'Join Harbour' }).waitFor();
  await page.getByText(`Olga Owner invited ${email} to Harbour on Parley.`).waitFor();
  await snap(page, 'sign-in-05-invite-signed-out');

  while (sink.count(email) === 0) await new Promise((r) => setTimeout(r, 50)); // the invite mail itself
  const before = sink.count(email);
  await page.getByRole('button', { name: 'Continue with email' }).click();
  await page.getByLabel('Email').waitFor();
  assert.equal(await page.getByLabel('Email').inputValue(), email);
  await page.getByRole('button', { name: 'Continue with email' }).click();
  const code = await sink.waitForCode(email, before);
  await page.getByLabel('Code').fill(code);
  await page.getByLabel('Display name').fill('Nina Newbie');
  await page.getByRole('button', { name: 'Create account' }).click();

  // Back on the invite, now as that person.
  await page.getByRole('button', { name: 'Accept invite' }).click();
  await page.waitForURL(new RegExp(`/w/${workspace.id}`));
  await page.getByText('general').first().waitFor();
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
