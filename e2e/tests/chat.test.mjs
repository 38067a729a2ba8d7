import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { after, before, test } from 'node:test';
import { snap, startWorld } from '../support/env.mjs';
import { anaAndBruno, apiCall, signedInContext, signInViaApi } from '../support/people.mjs';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');

let world;
let sink;
let api;
let browser;
let ana;
let bruno;
let pageA;
let pageB;
let contextB;
let workspaceId;
let apiDown = false;

before(async () => {
  world = await startWorld({ env: { PRESENCE_OFFLINE_GRACE_MS: '1000', RATE_LIMIT_SEND_BURST: '1000' } });
  ({ sink, api, browser } = world);
  ({ ana, bruno } = await anaAndBruno(world));
});

after(() => world?.stop());

async function axeCheck(page, name) {
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(async () => {
    const report = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } });
    return report.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
  });
  const serious = result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(serious, [], `axe found serious or critical violations on ${name}: ${JSON.stringify(serious)}`);
}

const messages = (page) => page.locator('[role="log"] [data-testid="message"]');

test('A creates a workspace and invites B, who accepts the emailed link', async () => {
  const contextA = await signedInContext(browser, ana);
  pageA = await contextA.newPage();
  await pageA.goto(api.url);
  await pageA.getByLabel('Workspace name').fill('Acme');
  await pageA.getByRole('button', { name: 'Create workspace' }).click();
  await pageA.getByRole('heading', { name: '# general' }).waitFor();
  workspaceId = new URL(pageA.url()).pathname.split('/')[2];
  await snap(pageA, 'chat-01-workspace-created');

  await pageA.getByRole('button', { name: 'Invite people' }).click();
  await pageA.getByLabel('Email address').fill(bruno.user.email);
  await pageA.getByRole('button', { name: 'Send invite' }).click();
  await pageA.getByText(`Invite sent to ${bruno.user.email}`).waitFor();
  await pageA.keyboard.press('Escape');

  const deadline = Date.now() + 10_000;
  let link;
  while (!link && Date.now() < deadline) {
    const mail = sink.mails.find((m) => m.to.includes(bruno.user.email) && /\/invite\//.test(m.raw));
    link = mail && /(http:\/\/\S+\/invite\/[\w-]+)/.exec(mail.raw)?.[1];
    if (!link) await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(link, 'the invite email carries a link');

  contextB = await signedInContext(browser, bruno);
  pageB = await contextB.newPage();
  await pageB.goto(link);
  await pageB.getByRole('button', { name: 'Accept invite' }).click();
  await pageB.getByRole('heading', { name: '# general' }).waitFor();
  await snap(pageB, 'chat-02-invite-accepted');
  // Without a reload, A's header counts B in.
  await pageA.locator('header').getByText('2 members').waitFor({ timeout: 5000 });
});

test('B sees A typing, then A\'s message within a second; A\'s message turns from pending to sent', async () => {
  await pageA.getByLabel('Message', { exact: true }).click();
  await pageA.getByLabel('Message', { exact: true }).pressSequentially('Hello Bruno', { delay: 20 });
  await pageB.getByTestId('typing').filter({ hasText: 'Ana Lima is typing…' }).waitFor({ timeout: 5000 });
  await snap(pageB, 'chat-03-typing');

  const sentAt = Date.now();
  await pageA.getByLabel('Message', { exact: true }).press('Enter');
  await messages(pageB).filter({ hasText: 'Hello Bruno' }).waitFor({ timeout: 1000 });
  const latency = Date.now() - sentAt;
  assert.ok(latency < 1000, `B saw the message after ${latency} ms`);
  await messages(pageA).filter({ hasText: 'Hello Bruno' }).and(pageA.locator('[data-state="sent"]')).waitFor();
  await pageB.getByTestId('typing').filter({ hasText: /^$/ }).waitFor();
  await snap(pageA, 'chat-04-sent');

  // B answers; A sees it live.
  await pageB.getByLabel('Message', { exact: true }).fill('Hi Ana! <b>not bold</b>');
  await pageB.getByLabel('Message', { exact: true }).press('Enter');
  await messages(pageA).filter({ hasText: 'Hi Ana! <b>not bold</b>' }).waitFor();
  assert.equal(await pageA.locator('[role="log"] b').count(), 0, 'message text is rendered as text, never as HTML');
});

test('B\'s unread badge counts up while B is elsewhere and clears when B opens the channel', async () => {
  const design = await apiCall(api, ana, 'POST', `/api/workspaces/${workspaceId}/channels`, { name: 'design', visibility: 'public' });
  // The new public channel shows in B's "Browse channels" without a reload.
  await pageB.getByRole('button', { name: 'Browse channels' }).click();
  await pageB.getByRole('dialog').getByText('# design').waitFor({ timeout: 5000 });
  await pageB.keyboard.press('Escape');
  await apiCall(api, bruno, 'POST', `/api/channels/${design.id}/join`);
  await pageA.goto(`${api.url}/w/${workspaceId}/c/${design.id}`);
  await pageA.getByRole('heading', { name: '# design' }).waitFor();
  const badge = pageB.getByRole('link', { name: /design, \d+ unread/ });
  for (const text of ['one', 'two', 'three']) {
    await pageA.getByLabel('Message', { exact: true }).fill(`design ${text}`);
    await pageA.getByLabel('Message', { exact: true }).press('Enter');
  }
  await pageB.getByRole('link', { name: 'design, 3 unread' }).waitFor({ timeout: 5000 });
  await snap(pageB, 'chat-05-unread');
  await badge.click();
  await pageB.getByRole('heading', { name: '# design' }).waitFor();
  await pageB.getByRole('link', { name: 'design', exact: true }).waitFor();
  assert.equal(await pageB.getByTestId('unread-badge').count(), 0);
});

test('reload keeps the session and the conversation', async () => {
  await pageB.reload();
  await pageB.getByRole('heading', { name: '# design' }).waitFor();
  await messages(pageB).filter({ hasText: 'design three' }).waitFor();
});

const divider = (page) => page.getByTestId('new-since');

/** The text of the first message below the "New since you left" divider. */
async function firstBelowDivider(page) {
  return page.evaluate(() => {
    const row = document.querySelector('[data-testid="new-since"]')?.closest('[data-row-key]');
    return row?.querySelector('[data-testid="message"] p')?.textContent?.trim() ?? null;
  });
}

async function unreadOnServer(auth, channelId) {
  const channels = await apiCall(api, auth, 'GET', `/api/workspaces/${workspaceId}/channels`);
  return channels.find((c) => c.id === channelId).unreadCount;
}

async function waitUntilRead(auth, channelId) {
  const deadline = Date.now() + 5000;
  while ((await unreadOnServer(auth, channelId)) !== 0) {
    if (Date.now() > deadline) throw new Error('the channel was never marked read on the server');
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function post(auth, channelId, text) {
  await apiCall(api, auth, 'POST', `/api/channels/${channelId}/messages`, { text, clientMsgId: randomUUID() });
}

test('the "New since you left" divider stays while B reads, and is gone the next time B opens the channel', async () => {
  const channels = await apiCall(api, bruno, 'GET', `/api/workspaces/${workspaceId}/channels`);
  const design = channels.find((c) => c.name === 'design');
  await waitUntilRead(bruno, design.id);
  await pageB.getByRole('link', { name: 'general', exact: true }).click();
  await pageB.getByRole('heading', { name: '# general' }).waitFor();
  await post(ana, design.id, 'while you were away 1');
  await post(ana, design.id, 'while you were away 2');
  await pageB.getByRole('link', { name: 'design, 2 unread' }).click();
  await pageB.getByRole('heading', { name: '# design' }).waitFor();
  await divider(pageB).waitFor();
  assert.equal(await firstBelowDivider(pageB), 'while you were away 1');
  await snap(pageB, 'chat-06a-new-since');

  // Opening it read it; the divider stays put while B looks, also when more arrives.
  await waitUntilRead(bruno, design.id);
  await post(ana, design.id, 'while you look');
  await messages(pageB).filter({ hasText: 'while you look' }).waitFor();
  assert.equal(await firstBelowDivider(pageB), 'while you were away 1');

  // B leaves the tab; what arrives meanwhile is what the divider marks on return.
  await pageB.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
  });
  await post(ana, design.id, 'while the tab was hidden');
  await messages(pageB).filter({ hasText: 'while the tab was hidden' }).waitFor();
  assert.equal(await unreadOnServer(bruno, design.id), 1, 'a hidden tab does not read');
  await pageB.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
  });
  await pageB.waitForFunction(() => {
    const row = document.querySelector('[data-testid="new-since"]')?.closest('[data-row-key]');
    return row?.textContent?.includes('while the tab was hidden');
  });
  await waitUntilRead(bruno, design.id);

  // Read: the next time B opens the channel there is no divider, nor after a reload.
  await pageB.getByRole('link', { name: 'general', exact: true }).click();
  await pageB.getByRole('heading', { name: '# general' }).waitFor();
  await pageB.getByRole('link', { name: 'design', exact: true }).click();
  await messages(pageB).filter({ hasText: 'while the tab was hidden' }).waitFor();
  assert.equal(await divider(pageB).count(), 0, 'no divider once the channel was read');
  await pageB.reload();
  await messages(pageB).filter({ hasText: 'while the tab was hidden' }).waitFor();
  await pageB.getByRole('link', { name: 'design', exact: true }).waitFor();
  assert.equal(await divider(pageB).count(), 0, 'no divider after a reload either');
});

test('a channel opened by a reload is marked read, so its divider does not come back', async () => {
  const channels = await apiCall(api, bruno, 'GET', `/api/workspaces/${workspaceId}/channels`);
  const design = channels.find((c) => c.name === 'design');
  await pageB.getByRole('link', { name: 'general', exact: true }).click();
  await pageB.getByRole('heading', { name: '# general' }).waitFor();
  await post(ana, design.id, 'before the reload');
  // Straight into the channel: the messages may come before the channel list (with the read position).
  await pageB.goto(`${api.url}/w/${workspaceId}/c/${design.id}`);
  await divider(pageB).waitFor();
  assert.equal(await firstBelowDivider(pageB), 'before the reload');
  await waitUntilRead(bruno, design.id);
  await pageB.reload();
  await messages(pageB).filter({ hasText: 'before the reload' }).waitFor();
  await pageB.getByRole('link', { name: 'design', exact: true }).waitFor();
  assert.equal(await divider(pageB).count(), 0);
});

test('history loads older messages in order when scrolled up', async () => {
  const long = await apiCall(api, ana, 'POST', `/api/workspaces/${workspaceId}/channels`, { name: 'history', visibility: 'public' });
  for (let i = 1; i <= 120; i++) await apiCall(api, ana, 'POST', `/api/channels/${long.id}/messages`, { text: `history ${i}`, clientMsgId: randomUUID() });
  await pageA.goto(`${api.url}/w/${workspaceId}/c/${long.id}`);
  await messages(pageA).filter({ hasText: 'history 120' }).waitFor();
  // Only the rows near the viewport are in the DOM: read each screenful on the way up. Each one must
  // overlap the one below it and agree with it on the rows both hold, so the order is the DOM's own.
  const log = pageA.locator('[role="log"]');
  const screenful = async () => (await messages(pageA).locator('p').allTextContents()).map((t) => t.trim());
  let texts = await screenful();
  assert.equal(texts.at(-1), 'history 120');
  for (let round = 0; round < 40 && !(texts[0] === 'history 1' && (await pageA.getByText('This is the very beginning of # history.').count())); round++) {
    await log.evaluate((element) => element.scrollBy(0, -element.clientHeight));
    await pageA.waitForTimeout(300);
    const shown = await screenful();
    const at = shown.indexOf(texts[0]);
    assert.ok(at >= 0, `each screenful overlaps the one below it (${shown[0]} … ${shown.at(-1)}, then ${texts[0]})`);
    assert.deepEqual(shown.slice(at), texts.slice(0, shown.length - at), 'two screenfuls agree on the rows both hold');
    texts = [...shown.slice(0, at), ...texts];
  }
  assert.deepEqual(
    texts,
    Array.from({ length: 120 }, (_, i) => `history ${i + 1}`),
  );
  await snap(pageA, 'chat-06-history');
});

test('A sees B\'s presence dot go offline when B leaves', async () => {
  await pageA.getByRole('button', { name: 'New message' }).click();
  await pageA.getByRole('checkbox').first().check();
  await pageA.getByRole('button', { name: 'Open conversation' }).click();
  await pageA.getByRole('heading', { name: 'Bruno Costa' }).waitFor();
  const dot = pageA.locator('nav [data-presence]').first();
  await pageA.waitForFunction(() => document.querySelector('nav [data-presence]')?.getAttribute('data-presence') === 'online', null, { timeout: 5000 });
  await snap(pageA, 'chat-07-presence-online');
  await contextB.close();
  await pageA.waitForFunction(() => document.querySelector('nav [data-presence]')?.getAttribute('data-presence') === 'offline', null, { timeout: 10_000 });
  assert.equal(await dot.getAttribute('data-presence'), 'offline');
  await snap(pageA, 'chat-08-presence-offline');
});

test('a message written while the api is down waits, then goes out once when it is back', async () => {
  await pageA.goto(`${api.url}/w/${workspaceId}`);
  await pageA.getByRole('heading', { name: '# general' }).waitFor();
  await pageA.getByLabel('Message', { exact: true }).waitFor();
  await api.stop();
  apiDown = true;
  await pageA.getByText(/Reconnecting…/).waitFor({ timeout: 10_000 });
  await pageA.getByLabel('Message', { exact: true }).fill('sent while offline');
  await pageA.getByLabel('Message', { exact: true }).press('Enter');
  await messages(pageA).filter({ hasText: 'sent while offline' }).and(pageA.locator('[data-state="pending"]')).waitFor();
  await snap(pageA, 'chat-09-offline-pending');
  await api.start();
  apiDown = false;
  await messages(pageA).filter({ hasText: 'sent while offline' }).and(pageA.locator('[data-state="sent"]')).waitFor({ timeout: 20_000 });
  const channels = await apiCall(api, ana, 'GET', `/api/workspaces/${workspaceId}/channels`);
  const general = channels.find((c) => c.name === 'general');
  const page = await apiCall(api, ana, 'GET', `/api/channels/${general.id}/messages?limit=100`);
  assert.equal(page.items.filter((m) => m.text === 'sent while offline').length, 1);
  await snap(pageA, 'chat-10-back-online');
});

test('a send the server does not answer shows Retry; the retry succeeds with exactly one copy', async () => {
  if (apiDown) await api.start(); // the previous test failed half-way
  apiDown = false;
  await pageA.getByRole('heading', { name: '# general' }).waitFor();
  api.pause();
  try {
    await pageA.getByLabel('Message', { exact: true }).fill('answer me');
    await pageA.getByLabel('Message', { exact: true }).press('Enter');
    await pageA.getByRole('button', { name: 'Retry' }).waitFor({ timeout: 20_000 });
    await snap(pageA, 'chat-11-failed-retry');
  } finally {
    api.resume();
  }
  // The frozen server may still store the first attempt once it runs again (then the message turns
  // sent by itself); either way a retry reuses the clientMsgId, so there can only be one copy.
  await pageA.getByRole('button', { name: 'Retry' }).click({ timeout: 2000 }).catch(() => undefined);
  await messages(pageA).filter({ hasText: 'answer me' }).and(pageA.locator('[data-state="sent"]')).waitFor({ timeout: 20_000 });
  const channels = await apiCall(api, ana, 'GET', `/api/workspaces/${workspaceId}/channels`);
  const general = channels.find((c) => c.name === 'general');
  const page = await apiCall(api, ana, 'GET', `/api/channels/${general.id}/messages?limit=100`);
  assert.equal(page.items.filter((m) => m.text === 'answer me').length, 1);
  assert.equal(await messages(pageA).filter({ hasText: 'answer me' }).count(), 1);
});

test('A creates a private channel from the dialog and adds B from the members panel', async () => {
  await pageA.getByRole('button', { name: 'Create a channel' }).click();
  await pageA.getByLabel('Channel name').fill('Launch Plans');
  await pageA.getByLabel(/Private: only people you add/).check();
  await pageA.getByRole('button', { name: 'Create channel' }).click();
  await pageA.getByRole('heading', { name: '# launch-plans' }).waitFor();
  await pageA.getByRole('button', { name: 'Members' }).click();
  await pageA.getByLabel('Add someone').selectOption({ label: 'Bruno Costa' });
  await pageA.getByRole('button', { name: 'Add to channel' }).click();
  await pageA.getByRole('list', { name: 'Channel members' }).getByText('Bruno Costa').waitFor();
  await snap(pageA, 'chat-12-members-panel');
  const channels = await apiCall(api, bruno, 'GET', `/api/workspaces/${workspaceId}/channels`);
  assert.ok(channels.some((c) => c.name === 'launch-plans' && c.type === 'private' && c.member));
});

test('the channel view and the sign-in page have no serious accessibility violations', async () => {
  // axe is injected as a script: these contexts bypass the app's Content-Security-Policy for it.
  const signedIn = await signedInContext(browser, ana, { bypassCSP: true });
  const chat = await signedIn.newPage();
  await chat.goto(`${api.url}/w/${workspaceId}`);
  await chat.getByRole('heading', { name: '# general' }).waitFor();
  await messages(chat).first().waitFor();
  await axeCheck(chat, 'the channel view');
  await signedIn.close();
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  await page.goto(`${api.url}/sign-in`);
  await page.getByLabel('Email').waitFor();
  await axeCheck(page, 'the sign-in page');
  await context.close();
});

test('the Owner manages the workspace in the admin console; a plain member is kept out of it', async () => {
  const context = await signedInContext(browser, ana, { bypassCSP: true });
  const page = await context.newPage();
  await page.goto(`${api.url}/w/${workspaceId}`);
  await page.getByRole('heading', { name: '# general' }).waitFor();
  await page.getByRole('link', { name: 'Admin console' }).click();
  await page.waitForURL(/\/admin\/members$/);
  await page.getByRole('heading', { name: 'Members', exact: true }).waitFor();
  await page.getByText('Bruno Costa').first().waitFor();
  await axeCheck(page, 'the members page');
  await snap(page, 'admin-01-members');
  await page.goto(`${api.url}/w/${workspaceId}/admin/audit`);
  await page.getByRole('heading', { name: 'Audit log' }).waitFor();
  // Sends are not audited (see NotAudited); the workspace's creation is.
  await page.getByRole('cell', { name: /workspace\.create/ }).first().waitFor();
  await page.getByRole('button', { name: /Verify chain/ }).click();
  await page.getByText(/intact/i).waitFor();
  await axeCheck(page, 'the audit log page');
  await snap(page, 'admin-02-audit');
  await context.close();

  // A guest has no admin permission at all: the console refuses them.
  const gus = await signInViaApi(api, sink, `gus-${Date.now()}@example.com`, 'Gus Guest');
  const roles = await apiCall(api, ana, 'GET', `/api/workspaces/${workspaceId}/roles`);
  const invite = await apiCall(api, ana, 'POST', `/api/workspaces/${workspaceId}/invites`, { email: gus.user.email, roleId: roles.find((r) => r.builtIn === 'guest').id });
  await apiCall(api, gus, 'POST', `/api/invites/${invite.token}/accept`);
  const guestContext = await signedInContext(browser, gus);
  const guestPage = await guestContext.newPage();
  await guestPage.goto(`${api.url}/w/${workspaceId}/admin/members`);
  await guestPage.waitForURL(/denied/);
  assert.equal(await guestPage.getByRole('heading', { name: 'Members' }).count(), 0);
  await guestContext.close();
});

test('on a phone the sidebar is a drawer', async () => {
  const context = await signedInContext(browser, ana, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  await page.goto(`${api.url}/w/${workspaceId}`);
  await page.getByRole('heading', { name: '# general' }).waitFor();
  await snap(page, 'chat-13-phone');
  await page.getByRole('button', { name: 'Open channels' }).click();
  await page.getByRole('link', { name: 'design', exact: true }).click();
  await page.getByRole('heading', { name: '# design' }).waitFor();
  await snap(page, 'chat-14-phone-drawer');
  await context.close();
});

test('the admin console\'s role editor offers only what exists; the rest says "coming"', async () => {
  const context = await signedInContext(browser, ana);
  const page = await context.newPage();
  await page.goto(`${api.url}/w/${workspaceId}/admin/roles`);
  await page.getByRole('heading', { name: 'Roles', exact: true }).waitFor();
  await page.getByRole('button', { name: 'New role' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.locator('#role-name').fill('Moderator');
  for (const name of ['retention.manage', 'legalhold.manage', 'ediscovery.export']) {
    assert.equal(await dialog.locator(`input[name="${name}"]`).isDisabled(), true, `${name} cannot be granted`);
  }
  for (const name of ['channel.manage', 'message.delete.any']) {
    assert.equal(await dialog.locator(`input[name="${name}"]`).isDisabled(), false, `${name} can be granted`);
  }
  assert.equal(await dialog.getByTestId('coming').count(), 3);
  await dialog.getByText('Audit and compliance').scrollIntoViewIfNeeded();
  await snap(page, 'admin-03-role-editor');
  await context.close();
});

test('desktop notifications ring for the server’s mentions (not for a name typed by hand), and never during Do Not Disturb', async () => {
  const context = await signedInContext(browser, bruno);
  // The browser's Notification API, recorded: headless Chromium shows none.
  await context.addInitScript(() => {
    window.__notifications = [];
    window.Notification = class {
      static permission = 'granted';
      static requestPermission = async () => 'granted';
      constructor(title, options) {
        window.__notifications.push({ title, body: options?.body ?? '' });
      }
      close() {}
    };
  });
  const page = await context.newPage();
  await page.goto(`${api.url}/w/${workspaceId}`);
  await page.getByRole('heading', { name: '# general' }).waitFor();
  const channels = await apiCall(api, ana, 'GET', `/api/workspaces/${workspaceId}/channels`);
  const design = channels.find((c) => c.name === 'design');
  const rung = () => page.evaluate(() => window.__notifications.map((n) => n.body));
  const base = await unreadOnServer(bruno, design.id);
  const unreadLink = (n) => page.getByRole('link', { name: `design, ${base + n} unread` });

  // A mention is a token the composer writes for a name picked from its list; "@Bruno" typed is text.
  await post(ana, design.id, 'hey @Bruno, typed by hand');
  await post(ana, design.id, `hey <@${bruno.user.id}>, look`);
  await unreadLink(2).waitFor();
  await page.waitForFunction(() => window.__notifications.length > 0);
  assert.deepEqual(await rung(), ['hey @Bruno Costa, look'], 'the notification shows the name, not the token');

  await page.getByRole('button', { name: /^Your menu/ }).click();
  await page.getByRole('menuitemradio', { name: 'Do not disturb' }).click();
  await page.getByRole('button', { name: /Do not disturb$/ }).waitFor();
  await post(ana, design.id, `<@${bruno.user.id}> during DND`);
  await post(ana, design.id, '@here during DND');
  await unreadLink(4).waitFor();
  await page.waitForTimeout(300);
  assert.deepEqual(await rung(), ['hey @Bruno Costa, look'], 'nothing rings during Do Not Disturb');

  await page.getByRole('button', { name: /^Your menu/ }).click();
  await page.getByRole('menuitemradio', { name: 'Online' }).click();
  await page.getByRole('button', { name: /Online$/ }).waitFor();
  await post(ana, design.id, '@here back online');
  await page.waitForFunction(() => window.__notifications.length > 1);
  assert.deepEqual(await rung(), ['hey @Bruno Costa, look', '@here back online']);
  await context.close();
});

test('the person menu in the chat: keyboard, status, profile, sessions, admin console, sign out', async () => {
  // axe is injected as a script: this context bypasses the app's Content-Security-Policy for it.
  const context = await signedInContext(browser, ana, { bypassCSP: true });
  const page = await context.newPage();
  await page.goto(`${api.url}/w/${workspaceId}`);
  await page.getByRole('heading', { name: '# general' }).waitFor();
  const trigger = page.getByRole('button', { name: /^Your menu: Ana Lima/ });
  const menu = page.getByRole('menu', { name: 'Your menu' });

  // Keyboard: Enter opens it with focus inside, arrows move, Esc closes and gives focus back.
  await trigger.focus();
  await page.keyboard.press('Enter');
  await menu.waitFor();
  for (const name of ['Profile', 'Sessions', 'Admin console', 'Sign out']) await menu.getByRole('menuitem', { name }).waitFor();
  assert.equal(await menu.getByRole('menuitemradio', { name: 'Online' }).getAttribute('aria-checked'), 'true');
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.evaluate(() => document.activeElement?.closest('[role="menu"]') !== null), true, 'focus is in the menu');
  await snap(page, 'chat-15-person-menu');
  await axeCheck(page, 'the open person menu');
  await page.keyboard.press('Escape');
  await menu.waitFor({ state: 'detached' });
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'person-menu');

  // Status: Do not disturb from the menu, shown on the button and to the server.
  await trigger.click();
  await menu.getByRole('menuitemradio', { name: 'Do not disturb' }).click();
  await page.getByRole('button', { name: 'Your menu: Ana Lima, Do not disturb' }).waitFor();
  const presence = await apiCall(api, bruno, 'GET', `/api/workspaces/${workspaceId}/presence`);
  assert.equal(presence.find((p) => p.userId === ana.user.id)?.status, 'dnd');
  await page.getByRole('button', { name: /^Your menu/ }).click();
  await menu.getByRole('menuitemradio', { name: 'Online' }).click();
  await page.getByRole('button', { name: 'Your menu: Ana Lima, Online' }).waitFor();

  // Sessions: the one in use is active now.
  await trigger.click();
  await menu.getByRole('menuitem', { name: 'Sessions' }).click();
  await page.waitForURL(/\/sessions$/);
  await page.getByText('This device · active now').waitFor();
  await snap(page, 'shell-01-sessions');

  // Profile: the display name can be changed, and the chat shows it at once.
  await page.getByRole('link', { name: 'Profile' }).click();
  await page.getByLabel('Display name').fill('Ana Maria Lima');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
  assert.equal((await apiCall(api, ana, 'GET', '/api/users/me')).displayName, 'Ana Maria Lima');
  await snap(page, 'shell-02-profile');
  await page.getByRole('link', { name: 'Parley, home' }).click();
  await page.getByRole('heading', { name: '# general' }).waitFor();
  await page.getByRole('button', { name: /^Your menu: Ana Maria Lima/ }).waitFor();
  await apiCall(api, ana, 'PATCH', '/api/users/me', { displayName: 'Ana Lima' });

  // The admin console, and signing out, from the menu.
  await page.getByRole('button', { name: /^Your menu/ }).click();
  await menu.getByRole('menuitem', { name: 'Admin console' }).click();
  await page.waitForURL(/\/admin\/members$/);
  await page.goBack();
  await page.getByRole('heading', { name: '# general' }).waitFor();
  await page.getByRole('button', { name: /^Your menu/ }).click();
  await menu.getByRole('menuitem', { name: 'Sign out' }).click();
  await page.waitForURL(/\/sign-in/);
  await context.close();
});
