import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { root, snap } from '../support/env.mjs';
import { apiCall, signedInContext, twoInAWorkspace } from '../support/people.mjs';

// Reactions (through the emoji picker), pins, permalinks and forwarding in the browser, seen live by the other person.
let world;
let api;
let browser;
let ana;
let bruno;
let pageA;
let pageB;
let workspaceId;
let general;
let random;
let long;

before(async () => {
  ({ world, api, browser, ana, bruno, workspaceId, general } = await twoInAWorkspace('Reactions'));
  random = await apiCall(api, ana, 'POST', `/api/workspaces/${workspaceId}/channels`, { name: 'random', visibility: 'public' });
  long = await apiCall(api, ana, 'POST', `/api/workspaces/${workspaceId}/channels`, { name: 'long', visibility: 'public' });
  await apiCall(api, bruno, 'POST', `/api/channels/${random.id}/join`);
  await apiCall(api, bruno, 'POST', `/api/channels/${long.id}/join`);
  for (let i = 1; i <= 120; i++) await apiCall(api, ana, 'POST', `/api/channels/${long.id}/messages`, { text: `history ${i}`, clientMsgId: randomUUID() });
});

after(() => world?.stop());

const messages = (page) => page.locator('[role="log"] app-message-body');
const message = (page, text) => messages(page).filter({ has: page.locator('[data-testid="message"]', { hasText: text }) });
const toolbar = (page, text) => message(page, text).getByRole('toolbar', { name: 'Message actions' });
/** "history 10" and not "history 100" (the line's text goes on with its toolbar's quick reactions). */
const HISTORY_10 = /^\s*history 10(?!\d)/;
const chip = (page, text, emoji) => message(page, text).getByTestId('reaction').filter({ hasText: emoji });

async function open(page, channel) {
  await page.goto(`${api.url}/w/${workspaceId}/c/${channel.id}`);
  await page.getByRole('heading', { name: `# ${channel.name}` }).waitFor();
}

async function send(page, text) {
  await page.getByLabel('Message', { exact: true }).fill(text);
  await page.getByLabel('Message', { exact: true }).press('Enter');
  await messages(page).filter({ has: page.locator('[data-state="sent"]', { hasText: text }) }).waitFor();
}

test('A reacts through the picker (search "tada"); B sees the chip live and joins it; A sees 2 live', async () => {
  pageA = await (await signedInContext(browser, ana, { permissions: ['clipboard-read', 'clipboard-write'] })).newPage();
  pageB = await (await signedInContext(browser, bruno)).newPage();
  for (const page of [pageA, pageB]) await open(page, general);
  await send(pageA, 'We shipped the release!');
  await message(pageB, 'We shipped the release!').waitFor();

  await message(pageA, 'We shipped the release!').hover();
  await toolbar(pageA, 'We shipped the release!').getByRole('button', { name: 'Add reaction' }).click();
  const picker = pageA.locator('em-emoji-picker');
  const search = picker.locator('input[type="search"]');
  await search.waitFor({ timeout: 10_000 });
  await search.fill('tada');
  await picker.getByRole('button', { name: '🎉' }).first().click();
  await picker.waitFor({ state: 'detached' });

  await chip(pageA, 'We shipped the release!', '🎉').waitFor();
  assert.equal(await chip(pageA, 'We shipped the release!', '🎉').getAttribute('aria-pressed'), 'true');
  const chipB = chip(pageB, 'We shipped the release!', '🎉');
  await chipB.waitFor({ timeout: 5000 });
  assert.equal((await chipB.getByTestId('reaction-count').textContent()).trim(), '1');
  assert.equal(await chipB.getAttribute('aria-pressed'), 'false');
  assert.match(await chipB.getAttribute('title'), /^Ana Lima reacted with 🎉$/);

  await chipB.click();
  await pageB.waitForFunction(() => document.querySelector('[data-testid="reaction"][aria-pressed="true"] [data-testid="reaction-count"]')?.textContent?.trim() === '2');
  const chipA = chip(pageA, 'We shipped the release!', '🎉');
  await pageA.waitForFunction(() => document.querySelector('[data-testid="reaction"] [data-testid="reaction-count"]')?.textContent?.trim() === '2', null, { timeout: 5000 });
  // Bruno's reaction did not take Ana's `me` away.
  assert.equal(await chipA.getAttribute('aria-pressed'), 'true');
  assert.match(await chipA.getAttribute('title'), /^You and Bruno\b.* reacted with 🎉$/);

  // A quick reaction from the toolbar: a second chip.
  await message(pageA, 'We shipped the release!').hover();
  await toolbar(pageA, 'We shipped the release!').getByRole('button', { name: 'React with 👀' }).click();
  await chip(pageB, 'We shipped the release!', '👀').waitFor({ timeout: 5000 });
});

test('screenshot: a message with reactions, its toolbar and the picker open', async () => {
  await message(pageA, 'We shipped the release!').hover();
  await toolbar(pageA, 'We shipped the release!').getByRole('button', { name: 'Add reaction' }).click();
  await pageA.locator('em-emoji-picker').locator('input[type="search"]').waitFor();
  // The toolbar stays shown while the picker is open, as it does on hover.
  await message(pageA, 'We shipped the release!').hover({ force: true });
  await pageA.waitForTimeout(300);
  await pageA.screenshot({ path: join(root, 'docs', 'reactions.png') });
  await pageA.keyboard.press('Escape');
  await pageA.locator('em-emoji-picker').waitFor({ state: 'detached' });
});

test('A pins a message; B sees it marked and in the pinned list, and the list jumps to it', async () => {
  await send(pageA, 'Standup is at 9:30 every day');
  await message(pageB, 'Standup is at 9:30 every day').waitFor();
  await message(pageA, 'Standup is at 9:30 every day').hover();
  await toolbar(pageA, 'Standup is at 9:30 every day').getByRole('button', { name: 'Pin message' }).click();
  await message(pageA, 'Standup is at 9:30 every day').getByTestId('pinned-marker').waitFor();
  await message(pageB, 'Standup is at 9:30 every day').getByTestId('pinned-marker').waitFor({ timeout: 5000 });
  await pageB.getByRole('button', { name: /^Pinned messages \(1\)$/ }).waitFor({ timeout: 5000 });
  await pageB.getByRole('button', { name: /^Pinned messages/ }).click();
  const item = pageB.getByRole('list', { name: 'Pinned messages' }).getByTestId('pinned-item');
  await item.filter({ hasText: 'Standup is at 9:30 every day' }).waitFor();
  await item.first().click();
  await pageB.locator('[data-highlighted="true"]').filter({ hasText: 'Standup is at 9:30 every day' }).waitFor();
  await snap(pageB, 'reactions-01-pinned-list');

  // Unpinned by A: it leaves B's list live.
  await message(pageA, 'Standup is at 9:30 every day').hover();
  await toolbar(pageA, 'Standup is at 9:30 every day').getByRole('button', { name: 'Unpin message' }).click();
  await item.waitFor({ state: 'detached', timeout: 5000 });
  await pageB.getByRole('button', { name: 'Close pinned messages' }).click();
});

test('A copies a link to an early message of a long channel; B opens it: loaded around it, in view and highlighted; scrolling down reaches the newest', async () => {
  await open(pageA, long);
  await messages(pageA).filter({ hasText: 'history 120' }).waitFor();
  const linked = await apiCall(api, ana, 'GET', `/api/channels/${long.id}/messages?before=11&limit=1`);
  const target = linked.items[0];
  assert.equal(target.text, 'history 10');
  // Far above the newest page: Ana reaches it through a link too, then copies its link from the toolbar.
  await pageA.goto(`${api.url}/w/${workspaceId}/c/${long.id}?m=${target.seq}`);
  await message(pageA, HISTORY_10).hover();
  await toolbar(pageA, HISTORY_10).getByRole('button', { name: 'Copy link to message' }).click();
  await pageA.getByRole('status').filter({ hasText: 'Link copied' }).waitFor();
  const link = await pageA.evaluate(() => navigator.clipboard.readText());
  assert.equal(link, `${api.url}/w/${workspaceId}/c/${long.id}?m=${target.seq}`);

  await pageB.goto(link);
  const row = pageB.locator('[data-highlighted="true"]');
  await row.filter({ has: pageB.locator('[data-testid="message"]', { hasText: HISTORY_10 }) }).waitFor({ timeout: 10_000 });
  assert.ok(await message(pageB, HISTORY_10).isVisible());
  // The window around it: the newest messages are not loaded, and a live one does not land below.
  assert.equal(await messages(pageB).filter({ hasText: 'history 120' }).count(), 0);
  await apiCall(api, ana, 'POST', `/api/channels/${long.id}/messages`, { text: 'history 121', clientMsgId: randomUUID() });
  await pageB.getByRole('button', { name: /Jump to newest/ }).waitFor();
  // Scrolling down loads the newer pages until the newest, the live one included.
  for (let i = 0; i < 30 && !(await messages(pageB).filter({ hasText: 'history 121' }).count()); i++) {
    await pageB.locator('[role="log"]').evaluate((log) => log.scrollBy(0, 2000));
    await pageB.waitForTimeout(150);
  }
  await messages(pageB).filter({ hasText: 'history 121' }).waitFor({ timeout: 5000 });
  // Every message is there once, in order: no gap between the window and the newest pages.
  const texts = await pageB.evaluate(async () => {
    const log = document.querySelector('[role="log"]');
    const seen = new Set();
    for (let top = 0; top <= log.scrollHeight; top += 300) {
      log.scrollTop = top;
      await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
      for (const p of log.querySelectorAll('[data-testid="message"] p')) seen.add(p.textContent);
    }
    return [...seen];
  });
  const numbers = texts.map((t) => Number(/^history (\d+)$/.exec(t)?.[1])).filter(Boolean);
  const expected = Array.from({ length: 121 - numbers[0] + 1 }, (_, i) => numbers[0] + i);
  assert.deepEqual(numbers, expected);
});

test('A forwards a message to #random with a comment; B sees the quote there', async () => {
  await open(pageA, general);
  await open(pageB, random);
  await message(pageA, 'We shipped the release!').hover();
  await toolbar(pageA, 'We shipped the release!').getByRole('button', { name: 'Forward message' }).click();
  const dialog = pageA.getByRole('dialog', { name: 'Forward message' });
  await dialog.getByRole('textbox', { name: 'To' }).fill('rand');
  await dialog.getByRole('radio', { name: '# random' }).check();
  await dialog.getByLabel('Comment (optional)').fill('In case you missed it');
  await dialog.getByRole('button', { name: 'Forward', exact: true }).click();
  await dialog.waitFor({ state: 'detached' });
  const forwarded = message(pageB, 'In case you missed it');
  await forwarded.waitFor({ timeout: 5000 });
  const quote = forwarded.getByTestId('forwarded');
  assert.equal((await quote.locator('blockquote').textContent()).trim(), 'We shipped the release!');
  assert.match((await quote.locator('figcaption').textContent()).replace(/\s+/g, ' '), /Ana Lima in #general ·/);
  await snap(pageB, 'reactions-02-forwarded');
});
