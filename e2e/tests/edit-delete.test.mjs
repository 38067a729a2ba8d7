import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { snap } from '../support/env.mjs';
import { apiCall, signedInContext, twoInAWorkspace } from '../support/people.mjs';

// Editing and deleting in the browser, seen live by the other person, and caught up after being offline.
let world;
let api;
let browser;
let ana;
let bruno;
let pageA;
let pageB;
let contextB;
let workspaceId;
let channelId;

before(async () => {
  let general;
  ({ world, api, browser, ana, bruno, workspaceId, general } = await twoInAWorkspace('Edits'));
  channelId = general.id;
});

after(() => world?.stop());

const messages = (page) => page.locator('[role="log"] [data-testid="message"]');
const message = (page, text) => messages(page).filter({ hasText: text });

async function send(page, text) {
  await page.getByLabel('Message', { exact: true }).fill(text);
  await page.getByLabel('Message', { exact: true }).press('Enter');
  await message(page, text).and(page.locator('[data-state="sent"]')).waitFor();
}

test('A edits a message in place; B sees "(edited)" live', async () => {
  pageA = await (await signedInContext(browser, ana)).newPage();
  contextB = await signedInContext(browser, bruno);
  pageB = await contextB.newPage();
  for (const page of [pageA, pageB]) {
    await page.goto(`${api.url}/w/${workspaceId}/c/${channelId}`);
    await page.getByRole('heading', { name: '# general' }).waitFor();
  }
  await send(pageA, 'helo wrld');
  await message(pageB, 'helo wrld').waitFor();

  await message(pageA, 'helo wrld').hover();
  await message(pageA, 'helo wrld').getByRole('toolbar', { name: 'Message actions' }).waitFor();
  await snap(pageA, 'edit-00-message-actions');
  await message(pageA, 'helo wrld').getByRole('button', { name: 'Edit message' }).click();
  const editor = pageA.getByRole('textbox', { name: 'Edit message', exact: true });
  await editor.fill('hello world');
  await editor.press('Enter');
  await message(pageA, 'hello world').getByTestId('edited').waitFor();
  await message(pageB, 'hello world').getByTestId('edited').waitFor({ timeout: 5000 });
  assert.equal(await message(pageB, 'helo wrld').count(), 0);
  await snap(pageB, 'edit-01-edited-live');
});

test('B has no Edit or Delete on A\'s message', async () => {
  await message(pageB, 'hello world').hover();
  await message(pageB, 'hello world').getByRole('button', { name: 'Edit message' }).waitFor({ state: 'detached', timeout: 1000 }).catch(() => undefined);
  assert.equal(await message(pageB, 'hello world').getByRole('button', { name: 'Edit message' }).count(), 0);
  assert.equal(await message(pageB, 'hello world').getByRole('button', { name: 'Delete message' }).count(), 0);
});

test('↑ in the empty composer edits your last message; Esc leaves it as it was', async () => {
  await pageA.getByLabel('Message', { exact: true }).click();
  await pageA.getByLabel('Message', { exact: true }).press('ArrowUp');
  const editor = pageA.getByRole('textbox', { name: 'Edit message', exact: true });
  await editor.waitFor();
  assert.equal(await editor.inputValue(), 'hello world');
  await editor.press('Escape');
  await editor.waitFor({ state: 'detached' });
  assert.equal(await message(pageA, 'hello world').count(), 1);
});

test('A deletes a message after confirming; both see "This message was deleted"', async () => {
  await send(pageA, 'delete me');
  await message(pageB, 'delete me').waitFor();
  await message(pageA, 'delete me').hover();
  await message(pageA, 'delete me').getByRole('button', { name: 'Delete message' }).click();
  await pageA.getByRole('dialog').getByRole('button', { name: 'Delete', exact: true }).click();
  await message(pageB, 'delete me').waitFor({ state: 'detached', timeout: 5000 });
  await pageB.getByTestId('deleted').first().waitFor();
  await pageA.getByTestId('deleted').first().waitFor();
  await snap(pageA, 'edit-02-deleted');
});

test('B, offline while A edits and deletes, holds the same messages once back', async () => {
  await send(pageA, 'first draft');
  await send(pageA, 'short-lived');
  await message(pageB, 'short-lived').waitFor();
  await contextB.setOffline(true);
  const page = await apiCall(api, ana, 'GET', `/api/channels/${channelId}/messages?limit=50`);
  const draft = page.items.find((m) => m.text === 'first draft');
  const doomed = page.items.find((m) => m.text === 'short-lived');
  await apiCall(api, ana, 'PATCH', `/api/messages/${draft.id}`, { text: 'final text' });
  await apiCall(api, ana, 'DELETE', `/api/messages/${doomed.id}`);
  await contextB.setOffline(false);
  await message(pageB, 'final text').getByTestId('edited').waitFor({ timeout: 20_000 });
  await message(pageB, 'short-lived').waitFor({ state: 'detached', timeout: 20_000 });
  // The same state as A, who stayed connected: the edit, and both deletions shown as deleted.
  await message(pageA, 'final text').getByTestId('edited').waitFor();
  assert.equal(await pageB.getByTestId('deleted').count(), await pageA.getByTestId('deleted').count());
  assert.equal(await pageB.getByTestId('deleted').count(), 2);
  assert.equal(await message(pageB, 'first draft').count(), 0);
  await snap(pageB, 'edit-03-caught-up');
});
