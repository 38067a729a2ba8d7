import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { root, snap } from '../support/env.mjs';
import { signedInContext, twoInAWorkspace } from '../support/people.mjs';

// Threads in the browser: a reply in the side panel, seen live by the other person as a reply
// count under the root (not in the channel), "also send to the channel", and the Threads list.
let world;
let api;
let browser;
let ana;
let bruno;
let pageA;
let pageB;
let workspaceId;
let channelId;

before(async () => {
  let general;
  ({ world, api, browser, ana, bruno, workspaceId, general } = await twoInAWorkspace('Threads'));
  channelId = general.id;
});

after(() => world?.stop());

/** The channel's own log (the thread panel has a log of its own, "Replies"). */
const log = (page) => page.getByRole('log', { name: 'Messages' });
const inLog = (page, text) => log(page).getByTestId('message').filter({ hasText: text });
const panel = (page) => page.getByRole('complementary', { name: 'Thread' });
const inPanel = (page, text) => panel(page).getByTestId('message').filter({ hasText: text });
const ROOT = 'Who reviews the release notes?';

async function send(page, text) {
  await page.getByLabel('Message', { exact: true }).fill(text);
  await page.getByLabel('Message', { exact: true }).press('Enter');
  await inLog(page, text).and(page.locator('[data-state="sent"]')).waitFor();
}

async function reply(page, text) {
  const box = panel(page).getByRole('textbox', { name: 'Reply', exact: true });
  await box.fill(text);
  await box.press('Enter');
  await inPanel(page, text).and(page.locator('[data-state="sent"]')).waitFor();
}

test('B replies in the side panel; A sees "1 reply" under the root live, and not the reply in the channel', async () => {
  pageA = await (await signedInContext(browser, ana)).newPage();
  pageB = await (await signedInContext(browser, bruno)).newPage();
  for (const page of [pageA, pageB]) {
    await page.goto(`${api.url}/w/${workspaceId}/c/${channelId}`);
    await page.getByRole('heading', { name: '# general' }).waitFor();
  }
  await send(pageA, ROOT);
  await inLog(pageB, ROOT).hover();
  await inLog(pageB, ROOT).getByRole('button', { name: 'Reply in thread' }).click();
  await panel(pageB).waitFor();
  assert.match(pageB.url(), /[?&]thread=[0-9a-f-]{36}/);
  await panel(pageB).getByTestId('thread-root').filter({ hasText: ROOT }).waitFor();
  await reply(pageB, 'I can take them today');

  const summary = log(pageA).getByTestId('thread-summary');
  await summary.filter({ hasText: '1 reply' }).waitFor({ timeout: 5000 });
  assert.match(await summary.innerText(), /Last reply just now/);
  assert.equal(await inLog(pageA, 'I can take them today').count(), 0);
  assert.equal(await inLog(pageB, 'I can take them today').count(), 0);
});

test('A opens the thread from the summary and sees B\'s reply; A replies also to the channel, and B sees it in both places', async () => {
  await log(pageA).getByTestId('thread-summary').click();
  await inPanel(pageA, 'I can take them today').waitFor();
  await panel(pageA).getByLabel('Also send to #general').check();
  await reply(pageA, 'Thanks, Bruno!');

  await inPanel(pageB, 'Thanks, Bruno!').waitFor({ timeout: 5000 });
  await inLog(pageB, 'Thanks, Bruno!').waitFor({ timeout: 5000 });
  await inLog(pageA, 'Thanks, Bruno!').waitFor();
  // In the channel it says where it belongs, and the count follows.
  await log(pageB).getByTestId('thread-context').filter({ hasText: ROOT }).waitFor();
  await log(pageB).getByTestId('thread-summary').filter({ hasText: '2 replies' }).waitFor();
  assert.equal(await inLog(pageB, 'I can take them today').count(), 0);
  await snap(pageA, 'threads-00-panel');
  await pageA.screenshot({ path: join(root, 'docs', 'thread-panel.png') });
});

test('a reload keeps the thread open; Escape closes it', async () => {
  await pageB.reload();
  await panel(pageB).waitFor();
  await inPanel(pageB, 'I can take them today').waitFor();
  await inPanel(pageB, 'Thanks, Bruno!').waitFor();
  await panel(pageB).getByRole('textbox', { name: 'Reply', exact: true }).press('Escape');
  await panel(pageB).waitFor({ state: 'detached' });
  assert.doesNotMatch(pageB.url(), /thread=/);
});

test('B, following the thread he wrote in, sees it unread under "Threads" and opens it from there', async () => {
  // B looks at the channel without the thread; A replies only in the thread.
  await inPanel(pageA, 'Thanks, Bruno!').waitFor();
  await reply(pageA, 'Send them to me when done');
  const threads = pageB.getByRole('link', { name: /^Threads/ });
  await pageB.getByRole('link', { name: 'Threads, 1 unread' }).waitFor({ timeout: 5000 });
  await threads.click();
  const entry = pageB.getByTestId('thread-entry').filter({ hasText: ROOT });
  await entry.getByTestId('thread-unread').filter({ hasText: '1 unread' }).waitFor();
  await snap(pageB, 'threads-01-list');
  await entry.click();
  await inPanel(pageB, 'Send them to me when done').waitFor();
  // Opening it read it: the count goes.
  await pageB.getByRole('link', { name: 'Threads', exact: true }).waitFor({ timeout: 5000 });
});

test('B edits his reply in the panel (the same message line as the channel\'s); A sees it edited in her open thread', async () => {
  await inPanel(pageB, 'I can take them today').hover();
  await inPanel(pageB, 'I can take them today').getByRole('button', { name: 'Edit message' }).click();
  const editor = panel(pageB).getByRole('textbox', { name: 'Edit message', exact: true });
  await editor.fill('I can take them tomorrow');
  await editor.press('Enter');
  await inPanel(pageB, 'I can take them tomorrow').getByTestId('edited').waitFor();
  // The editor's Enter and Escape stay its own: the panel is still open.
  assert.equal(await panel(pageB).count(), 1);
  await inPanel(pageA, 'I can take them tomorrow').getByTestId('edited').waitFor({ timeout: 5000 });
  assert.equal(await inLog(pageA, 'I can take them tomorrow').count(), 0);
});
