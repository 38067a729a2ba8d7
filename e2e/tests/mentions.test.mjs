import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { root } from '../support/env.mjs';
import { apiCall, signedInContext, twoInAWorkspace } from '../support/people.mjs';

// Mentions in the browser: Ana picks Bruno from the composer's list with the keyboard; Bruno sees
// the mention badge in the sidebar, then the message highlighted with his chip; a mention of someone
// not in the channel offers to add them.
let world;
let api;
let browser;
let ana;
let bruno;
let pageA;
let pageB;
let workspaceId;
let general;
let design;
let ops;

before(async () => {
  ({ world, api, browser, ana, bruno, workspaceId, general } = await twoInAWorkspace('Mentions'));
  design = await apiCall(api, ana, 'POST', `/api/workspaces/${workspaceId}/channels`, { name: 'design', visibility: 'public' });
  await apiCall(api, bruno, 'POST', `/api/channels/${design.id}/join`);
  // Bruno is not in #ops.
  ops = await apiCall(api, ana, 'POST', `/api/workspaces/${workspaceId}/channels`, { name: 'ops', visibility: 'public' });
});

after(() => world?.stop());

const composer = (page) => page.getByLabel('Message', { exact: true });
const list = (page) => page.getByRole('listbox', { name: 'Suggestions' });
const lines = (page) => page.locator('[role="log"] article');
const sidebarLink = (page, name) => page.getByRole('navigation', { name: 'Channels and direct messages' }).getByRole('link', { name: new RegExp(`^${name}\\b`) });

async function open(page, channel) {
  await page.goto(`${api.url}/w/${workspaceId}/c/${channel.id}`);
  await page.getByRole('heading', { name: `# ${channel.name}` }).waitFor();
}

test('Ana types "@Bru", picks Bruno with the keyboard and sends; Bruno gets the badge, then the highlighted message with his chip', async () => {
  pageA = await (await signedInContext(browser, ana)).newPage();
  pageB = await (await signedInContext(browser, bruno)).newPage();
  await open(pageA, design);
  await open(pageB, general);

  await composer(pageA).click();
  await composer(pageA).pressSequentially('Hi @Bru');
  await list(pageA).waitFor();
  const options = list(pageA).getByRole('option');
  // Only Bruno matches "Bru" (and one is never offered oneself). He is in #design: no hint, neither
  // before #design's people are fetched nor after (CI once read the hint in between).
  assert.equal(await options.count(), 1);
  assert.match(await options.first().textContent(), /Bruno Costa\s*$/);
  assert.equal(await options.first().getAttribute('aria-selected'), 'true');
  assert.equal(await composer(pageA).getAttribute('aria-activedescendant'), await options.first().getAttribute('id'));

  await composer(pageA).press('Enter');
  await list(pageA).waitFor({ state: 'detached' });
  assert.equal(await composer(pageA).inputValue(), 'Hi @Bruno Costa ');
  await composer(pageA).pressSequentially('can you review #des');
  await list(pageA).getByRole('option', { name: /design/ }).waitFor();
  await composer(pageA).press('Tab');
  await composer(pageA).pressSequentially('today?');
  await composer(pageA).press('Enter');

  // In Ana's own log: the chip and the channel link, with current names.
  const sent = lines(pageA).filter({ hasText: 'can you review' });
  await sent.locator('[data-testid="message"][data-state="sent"]').waitFor();
  assert.equal((await sent.getByTestId('message-text').textContent()).trim(), 'Hi @Bruno Costa can you review #design today?');
  await sent.locator('[data-mention="user"]', { hasText: '@Bruno Costa' }).waitFor();
  assert.equal(await sent.locator('a[data-mention="channel"]').textContent(), '#design');
  assert.equal(await sent.getAttribute('data-mentions-me'), null, 'her own message does not mention her');

  // Bruno, in #general, sees the mention badge on #design.
  const badge = sidebarLink(pageB, 'design').getByTestId('mention-badge');
  await badge.waitFor();
  assert.equal((await badge.textContent()).replace(/\s+/g, ' ').trim(), '@ 1');

  await sidebarLink(pageB, 'design').click();
  await pageB.getByRole('heading', { name: '# design' }).waitFor();
  const received = lines(pageB).filter({ hasText: 'can you review' });
  await received.waitFor();
  assert.equal(await received.getAttribute('data-mentions-me'), 'true', 'the message that mentions Bruno is highlighted');
  const chip = received.locator('[data-mention="user"][data-me]');
  assert.equal(await chip.textContent(), '@Bruno Costa');
  // Reading it clears the badge.
  await badge.waitFor({ state: 'detached' });

  // The channel link opens the channel in the app.
  await received.locator('a[data-mention="channel"]').click();
  await pageB.waitForURL(`**/c/${design.id}`);
});

test('screenshot (docs/mentions.png): a message that mentions Ana, highlighted, and the list open on "@"', async () => {
  await apiCall(api, bruno, 'POST', `/api/channels/${design.id}/messages`, {
    text: `Sure <@${ana.user.id}>, I will look at it after lunch. @here anyone else?`,
    clientMsgId: randomUUID(),
  });
  const highlighted = lines(pageA).filter({ hasText: 'after lunch' });
  await highlighted.waitFor();
  assert.equal(await highlighted.getAttribute('data-mentions-me'), 'true');
  assert.equal(await highlighted.locator('[data-mention="user"][data-me]').textContent(), '@Ana Lima');
  await composer(pageA).pressSequentially('@');
  await list(pageA).waitFor();
  // The option's parts are separate elements without spaces between them in textContent.
  const options = await list(pageA).getByRole('option').allTextContents();
  assert.match(options.at(-2), /@channel\s*Notify everyone in this channel/);
  assert.match(options.at(-1), /@here\s*Notify everyone online in this channel/);
  await pageA.screenshot({ path: join(root, 'docs', 'mentions.png') });
  await composer(pageA).press('Escape');
  await list(pageA).waitFor({ state: 'detached' });
  await composer(pageA).fill('');
});

test('a mention of someone not in the channel offers to add them; Add puts them in', async () => {
  await open(pageA, ops);
  await composer(pageA).click();
  await composer(pageA).pressSequentially('@bru');
  // The hint comes once #ops's people are fetched (nobody is called an outsider before).
  await list(pageA).getByRole('option', { name: /Bruno Costa/ }).filter({ hasText: 'Not in this channel' }).waitFor();
  await composer(pageA).press('Enter');
  await composer(pageA).pressSequentially('please look at the alerts');
  await composer(pageA).press('Enter');

  const notice = pageA.getByTestId('mention-notice');
  await notice.waitFor();
  assert.match((await notice.textContent()).replace(/\s+/g, ' '), /Bruno Costa is not in #ops and was not notified\. Add them\?/);
  await notice.getByRole('button', { name: 'Add' }).click();
  await notice.waitFor({ state: 'detached' });
  // Bruno's sidebar lists #ops now: he was added.
  await sidebarLink(pageB, 'ops').waitFor();
  const members = await apiCall(api, ana, 'GET', `/api/channels/${ops.id}/members`);
  assert.ok(members.some((m) => m.userId === bruno.user.id));
});
