import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { root, snap, startWorld } from '../support/env.mjs';
import { anaAndBruno, apiCall, signedInContext, signInViaApi, workspaceWith } from '../support/people.mjs';

// Read receipts in a DM: "Seen" under Ana's message once Bruno has read it, live; "Seen by …" in a
// group DM as each reads; none once Bruno turned receipts off.
let world;
let api;
let browser;
let ana;
let bruno;
let pageA;
let pageB;
let workspaceId;
let dm;

before(async () => {
  world = await startWorld();
  ({ api, browser } = world);
  ({ ana, bruno } = await anaAndBruno(world));
  workspaceId = await workspaceWith(api, ana, bruno, 'Receipts');
  dm = await apiCall(api, ana, 'POST', `/api/workspaces/${workspaceId}/dms`, { userIds: [bruno.user.id] });
  pageA = await (await signedInContext(browser, ana)).newPage();
  pageB = await (await signedInContext(browser, bruno)).newPage();
});

after(() => world?.stop());

/** A message's whole row in the log (the "Seen" line sits under its body). */
const row = (page, text) => page.locator('[role="log"] article').filter({ has: page.locator('[data-testid="message"]', { hasText: text }) });

async function openDm(page, other) {
  await page.goto(`${api.url}/w/${workspaceId}/c/${dm.id}`);
  await page.getByRole('heading', { name: other }).waitFor();
}

async function send(page, text) {
  await page.getByLabel('Message', { exact: true }).fill(text);
  await page.getByLabel('Message', { exact: true }).press('Enter');
  await row(page, text).locator('[data-state="sent"]').waitFor();
}

/** Bruno's read position in the DM, as the server has it. */
async function brunoReadSeq() {
  return (await apiCall(api, bruno, 'GET', `/api/channels/${dm.id}`)).lastReadSeq;
}

test('Ana sends, Bruno opens the DM: Ana sees "Seen" under her message without reloading', async () => {
  await openDm(pageA, 'Bruno Costa');
  await send(pageA, 'Did you get the contract?');
  assert.equal(await row(pageA, 'Did you get the contract?').getByTestId('seen').count(), 0);

  await openDm(pageB, 'Ana Lima');
  await row(pageB, 'Did you get the contract?').waitFor();
  const seen = row(pageA, 'Did you get the contract?').getByTestId('seen');
  await seen.waitFor({ timeout: 5000 });
  assert.equal((await seen.textContent()).trim(), 'Seen');
  // Bruno's own page shows no "Seen" under Ana's message (it is not his).
  assert.equal(await pageB.getByTestId('seen').count(), 0);

  // A second message moves "Seen" down once Bruno has read it too: one "Seen", under the newest.
  await send(pageA, 'I sent it this morning');
  await row(pageA, 'I sent it this morning').getByTestId('seen').waitFor({ timeout: 5000 });
  assert.equal(await pageA.getByTestId('seen').count(), 1);
  await pageA.screenshot({ path: join(root, 'docs', 'read-receipts.png') });
});

test('in a small channel, the actions bar of a message says who has read it', async () => {
  const channels = await apiCall(api, ana, 'GET', `/api/workspaces/${workspaceId}/channels`);
  const general = channels.find((c) => c.name === 'general');
  await pageA.goto(`${api.url}/w/${workspaceId}/c/${general.id}`);
  await pageA.getByRole('heading', { name: '# general' }).waitFor();
  await send(pageA, 'Lunch at noon?');
  await pageB.goto(`${api.url}/w/${workspaceId}/c/${general.id}`);
  await row(pageB, 'Lunch at noon?').waitFor();
  await row(pageA, 'Lunch at noon?').hover();
  const readBy = row(pageA, 'Lunch at noon?').getByRole('img', { name: 'Read by Bruno Costa' });
  await readBy.waitFor({ timeout: 5000 });
  assert.equal(await readBy.getAttribute('title'), 'Read by Bruno Costa');
  assert.equal((await readBy.textContent()).trim(), '1');
  // Channels have no "Seen" lines.
  assert.equal(await pageA.getByTestId('seen').count(), 0);
  await snap(pageA, 'read-receipts-02-channel-read-by');
});

test('in a group DM, "Seen by" names each person as they read, live, under the newest message they have read', async () => {
  const carla = await signInViaApi(api, world.sink, `carla-${Date.now().toString(36)}@example.com`, 'Carla Dias');
  const roles = await apiCall(api, ana, 'GET', `/api/workspaces/${workspaceId}/roles`);
  const invite = await apiCall(api, ana, 'POST', `/api/workspaces/${workspaceId}/invites`, { email: carla.user.email, roleId: roles.find((r) => r.builtIn === 'member').id });
  await apiCall(api, carla, 'POST', `/api/invites/${invite.token}/accept`);
  const group = await apiCall(api, ana, 'POST', `/api/workspaces/${workspaceId}/dms`, { userIds: [bruno.user.id, carla.user.id] });
  const pageC = await (await signedInContext(browser, carla)).newPage();
  const openGroup = async (page) => {
    await page.goto(`${api.url}/w/${workspaceId}/c/${group.id}`);
    await page.getByLabel('Message', { exact: true }).waitFor();
  };

  await openGroup(pageA);
  await send(pageA, 'Team call at three?');
  const seen = row(pageA, 'Team call at three?').getByTestId('seen');
  assert.equal(await seen.count(), 0);
  await openGroup(pageB);
  await row(pageB, 'Team call at three?').waitFor();
  await seen.filter({ hasText: 'Seen by Bruno Costa' }).waitFor({ timeout: 5000 });
  assert.equal((await seen.textContent()).trim(), 'Seen by Bruno Costa');
  await openGroup(pageC);
  await row(pageC, 'Team call at three?').waitFor();
  await seen.filter({ hasText: 'Carla' }).waitFor({ timeout: 5000 });
  assert.equal((await seen.textContent()).trim(), 'Seen by Bruno Costa, Carla Dias');
  // Only under Ana's own messages, and only on her page.
  assert.equal(await pageB.getByTestId('seen').count(), 0);
  await pageC.context().close();
});

test('Bruno turns read receipts off: Ana\'s next message is read but not marked "Seen"', async () => {
  await pageB.goto(`${api.url}/profile`);
  const toggle = pageB.getByRole('checkbox', { name: 'Send read receipts' });
  assert.equal(await toggle.isChecked(), true);
  await toggle.uncheck();
  await pageB.getByRole('status').filter({ hasText: 'Read receipts are off.' }).waitFor();
  const me = await apiCall(api, bruno, 'GET', '/api/users/me');
  assert.equal(me.readReceipts, false);

  await openDm(pageA, 'Bruno Costa');
  await openDm(pageB, 'Ana Lima');
  await send(pageA, 'Let me know when you have signed');
  await row(pageB, 'Let me know when you have signed').waitFor();
  const { items } = await apiCall(api, ana, 'GET', `/api/channels/${dm.id}/messages`);
  const newest = items.at(-1);
  assert.equal(newest.text, 'Let me know when you have signed');
  // Bruno has read it (his page marked it read), and Ana is not told.
  for (let i = 0; i < 50 && (await brunoReadSeq()) < newest.seq; i++) await pageB.waitForTimeout(100);
  assert.equal(await brunoReadSeq(), newest.seq);
  await pageA.waitForTimeout(500);
  assert.equal(await row(pageA, 'Let me know when you have signed').getByTestId('seen').count(), 0);
  // A fresh load agrees: Bruno's receipts are gone for Ana, and Bruno sees none of Ana's.
  await openDm(pageA, 'Bruno Costa');
  await row(pageA, 'Let me know when you have signed').waitFor();
  await pageA.waitForTimeout(300);
  assert.equal(await pageA.getByTestId('seen').count(), 0);
  await snap(pageA, 'read-receipts-01-off');
});
