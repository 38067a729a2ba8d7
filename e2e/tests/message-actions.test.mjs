import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { root, snap } from '../support/env.mjs';
import { apiCall, signedInContext, twoInAWorkspace } from '../support/people.mjs';

// A message's actions in the browser: the edit history behind "(edited)" (the sender's, not a
// plain member's), the ⋯ menu driven by keyboard alone, a hidden toolbar that takes no clicks,
// times in the gutter of grouped lines, and on a phone the long-press sheet.
let world;
let api;
let browser;
let ana;
let bruno;
let pageA;
let pageB;
let workspaceId;
let general;

before(async () => {
  ({ world, api, browser, ana, bruno, workspaceId, general } = await twoInAWorkspace('Actions'));
});

after(() => world?.stop());

const lines = (page) => page.getByRole('log', { name: 'Messages' }).getByTestId('message');
const line = (page, text) => lines(page).filter({ hasText: text });
const toolbar = (page, text) => line(page, text).getByRole('toolbar', { name: 'Message actions' });
const menu = (page) => page.getByRole('menu', { name: 'More actions' });
const post = (who, text, channelId = general.id) => apiCall(api, who, 'POST', `/api/channels/${channelId}/messages`, { text, clientMsgId: randomUUID() });

async function open(page, channel = general, query = '') {
  await page.goto(`${api.url}/w/${workspaceId}/c/${channel.id}${query}`);
  await page.getByRole('heading', { name: `# ${channel.name}` }).waitFor();
}

async function send(page, text) {
  await page.getByLabel('Message', { exact: true }).fill(text);
  await page.getByLabel('Message', { exact: true }).press('Enter');
  await line(page, text).and(page.locator('[data-state="sent"]')).waitFor();
}

async function saveEdit(page, text) {
  const editor = page.getByRole('textbox', { name: 'Edit message', exact: true });
  await editor.fill(text);
  await editor.press('Enter');
  await editor.waitFor({ state: 'detached' });
}

/** The name of what has the keyboard focus (its aria-label, else its text). */
const focused = (page) => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent?.trim() ?? null);

test('Ana edits a message twice (toolbar, then the ⋯ menu); Bruno, a plain member, sees "(edited)" as text, with no history to open', async () => {
  pageA = await (await signedInContext(browser, ana, { permissions: ['clipboard-read', 'clipboard-write'] })).newPage();
  pageB = await (await signedInContext(browser, bruno)).newPage();
  for (const page of [pageA, pageB]) await open(page);
  await send(pageA, 'Release at 3pm');
  await line(pageB, 'Release at 3pm').waitFor();

  await line(pageA, 'Release at 3pm').hover();
  await toolbar(pageA, 'Release at 3pm').getByRole('button', { name: 'Edit message' }).click();
  await saveEdit(pageA, 'Release at 4pm');
  await line(pageA, 'Release at 4pm').getByTestId('edited').waitFor();

  await line(pageA, 'Release at 4pm').hover();
  await toolbar(pageA, 'Release at 4pm').getByRole('button', { name: 'More actions' }).click();
  await menu(pageA).getByRole('menuitem', { name: 'Edit message' }).click();
  await saveEdit(pageA, 'Release at 4:30pm, after the demo');

  const seenByBruno = line(pageB, 'Release at 4:30pm, after the demo');
  await seenByBruno.getByTestId('edited').waitFor({ timeout: 5000 });
  assert.equal(await seenByBruno.getByRole('button', { name: '(edited)' }).count(), 0);
  assert.equal(await seenByBruno.getByTestId('edited').evaluate((e) => e.tagName), 'SPAN');
  assert.match(await seenByBruno.getByTestId('edited').getAttribute('title'), /^Edited /);
  // Nor in his ⋯ menu.
  await seenByBruno.hover();
  await toolbar(pageB, 'Release at 4:30pm').getByRole('button', { name: 'More actions' }).click();
  await menu(pageB).waitFor();
  const offered = await menu(pageB).getByRole('menuitem').allTextContents();
  assert.deepEqual(
    offered.map((t) => t.trim()),
    ['Reply in thread', 'Add reaction…', 'Forward…', 'Copy link', 'Copy text', 'Pin to channel'],
  );
  await pageB.keyboard.press('Escape');
  await menu(pageB).waitFor({ state: 'detached' });
  // The server agrees: the earlier versions are not his to read.
  const { items } = await apiCall(api, ana, 'GET', `/api/channels/${general.id}/messages?limit=10`);
  const edited = items.find((m) => m.text.startsWith('Release at 4:30pm'));
  const refused = await fetch(`${api.url}/api/messages/${edited.id}/versions`, { headers: { authorization: `Bearer ${bruno.accessToken}` } });
  assert.equal(refused.status, 403);
});

test('Ana opens the edit history from "(edited)": the current text marked Current, then both earlier versions, newest first', async () => {
  const marker = line(pageA, 'Release at 4:30pm').getByRole('button', { name: '(edited)' });
  await marker.click();
  const dialog = pageA.getByRole('dialog', { name: 'Edit history' });
  const versions = dialog.getByTestId('version');
  await versions.nth(2).waitFor();
  const texts = await versions.getByTestId('message-text').allTextContents();
  assert.deepEqual(texts, ['Release at 4:30pm, after the demo', 'Release at 4pm', 'Release at 3pm']);
  assert.equal(await versions.nth(0).getByTestId('current').textContent(), 'Current');
  assert.equal(await versions.nth(1).getByTestId('current').count(), 0);
  // Each with its time.
  for (let i = 0; i < 3; i++) assert.ok(await versions.nth(i).locator('time[datetime]').getAttribute('datetime'));
  await pageA.waitForTimeout(200);
  await pageA.screenshot({ path: join(root, 'docs', 'edit-history.png') });
  await pageA.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  // Focus goes back to the button that opened it.
  assert.equal(await focused(pageA), '(edited)');
});

test('the ⋯ menu by keyboard alone: Tab from the line into the toolbar, End, Enter, arrows to "Pin to channel" and "Copy link", Esc gives focus back', async () => {
  await send(pageA, 'Keyboard only, please');
  const target = line(pageA, 'Keyboard only, please');
  await pageA.mouse.move(5, 5); // nothing hovered: only the keyboard shows the toolbar
  await target.focus();
  await pageA.keyboard.press('Tab');
  const bar = toolbar(pageA, 'Keyboard only, please');
  assert.equal(await bar.evaluate((e) => e.contains(document.activeElement)), true);
  assert.equal(await bar.evaluate((e) => getComputedStyle(e).opacity), '1');
  await pageA.keyboard.press('End');
  assert.equal(await focused(pageA), 'More actions');

  await pageA.keyboard.press('Enter');
  await menu(pageA).waitFor();
  assert.equal(await focused(pageA), 'Reply in thread');
  for (let i = 0; i < 10 && (await focused(pageA)) !== 'Pin to channel'; i++) await pageA.keyboard.press('ArrowDown');
  assert.equal(await focused(pageA), 'Pin to channel');
  await pageA.keyboard.press('Enter');
  await target.locator('..').getByTestId('pinned-marker').waitFor({ timeout: 5000 });
  await menu(pageA).waitFor({ state: 'detached' });
  assert.equal(await focused(pageA), 'More actions');

  await pageA.keyboard.press('Enter');
  await menu(pageA).waitFor();
  for (let i = 0; i < 10 && (await focused(pageA)) !== 'Copy link'; i++) await pageA.keyboard.press('ArrowDown');
  await pageA.keyboard.press('Enter');
  await pageA.getByRole('status').filter({ hasText: 'Link copied' }).waitFor();
  const { items } = await apiCall(api, ana, 'GET', `/api/channels/${general.id}/messages?limit=5`);
  const sent = items.find((m) => m.text === 'Keyboard only, please');
  assert.equal(await pageA.evaluate(() => navigator.clipboard.readText()), `${api.url}/w/${workspaceId}/c/${general.id}?m=${sent.seq}`);
  // "Copy text" (what a phone, where the text is not selectable, copies with).
  await pageA.keyboard.press('Enter');
  await menu(pageA).waitFor();
  for (let i = 0; i < 10 && (await focused(pageA)) !== 'Copy text'; i++) await pageA.keyboard.press('ArrowDown');
  await pageA.keyboard.press('Enter');
  await pageA.getByRole('status').filter({ hasText: 'Text copied' }).waitFor();
  assert.equal(await pageA.evaluate(() => navigator.clipboard.readText()), 'Keyboard only, please');

  // Escape closes the menu and gives the focus back to ⋯; so does Shift+F10 on the line open it.
  await pageA.keyboard.press('Enter');
  await menu(pageA).waitFor();
  await pageA.keyboard.press('Escape');
  await menu(pageA).waitFor({ state: 'detached' });
  assert.equal(await focused(pageA), 'More actions');
  await target.focus();
  await pageA.keyboard.press('Shift+F10');
  await menu(pageA).waitFor();
  assert.equal(await focused(pageA), 'Reply in thread');
  await pageA.keyboard.press('Escape');
  await menu(pageA).waitFor({ state: 'detached' });
});

test('a hidden toolbar takes no clicks: nothing under the pointer is its button, and a click where its 👍 sits does nothing', async () => {
  await post(bruno, 'Anyone up for lunch?');
  await post(ana, 'Me! Give me ten minutes');
  const target = line(pageA, 'Me! Give me ten minutes');
  await target.waitFor();
  await pageA.getByLabel('Message', { exact: true }).click(); // the pointer away from the log, the focus in the composer
  const bar = toolbar(pageA, 'Me! Give me ten minutes');
  assert.equal(await bar.evaluate((e) => getComputedStyle(e).opacity), '0');
  const thumbs = bar.getByRole('button', { name: 'React with 👍' });
  const buttons = await bar.getByRole('button').all();
  for (const button of buttons) {
    const box = await button.boundingBox();
    const hit = await pageA.evaluate(
      ({ x, y }) => document.elementFromPoint(x, y)?.closest('[role="toolbar"]')?.closest('[data-testid="message"]')?.textContent?.includes('Give me ten') ?? false,
      { x: box.x + box.width / 2, y: box.y + box.height / 2 },
    );
    assert.equal(hit, false, `${await button.getAttribute('aria-label')} would take a click while hidden`);
  }
  // The toolbar sits over the line's header (its name and time): a click there, where the hidden 👍 is, reacts to nothing.
  const box = await thumbs.boundingBox();
  const lineBox = await target.boundingBox();
  const y = box.y + 3;
  assert.ok(y < lineBox.y, 'the point is above the line itself (on its header)');
  await pageA.mouse.click(box.x + box.width / 2, y);
  await pageA.waitForTimeout(500);
  assert.equal(await target.locator('..').getByTestId('reaction').count(), 0);
  // Hovered, the same button works.
  await target.hover();
  await thumbs.click();
  await target.locator('..').getByTestId('reaction').filter({ hasText: '👍' }).waitFor();
});

test('a grouped line shows its own time in the gutter on hover (hours:minutes, the full date in its title); the header line keeps its time', async () => {
  await post(bruno, 'Sure, see you there');
  await line(pageA, 'Sure, see you there').waitFor();
  await send(pageA, 'First of two');
  await send(pageA, 'Second of two, same minute');
  const article = pageA.getByRole('log', { name: 'Messages' }).locator('article').filter({ has: pageA.getByTestId('message').filter({ hasText: 'Second of two' }) });
  const gutter = article.getByTestId('gutter-time');
  const header = pageA.getByRole('log', { name: 'Messages' }).locator('article').filter({ has: pageA.getByTestId('message').filter({ hasText: 'First of two' }) });
  await pageA.mouse.move(5, 5);
  assert.equal(await gutter.evaluate((e) => getComputedStyle(e).opacity), '0');
  await line(pageA, 'Second of two').hover();
  await pageA.waitForFunction((e) => getComputedStyle(e).opacity === '1', await gutter.elementHandle());
  // Hours and minutes, as the header's time reads without its AM/PM (Slack's gutter).
  assert.match((await gutter.textContent()).trim(), /^\d{1,2}:\d\d$/);
  assert.match(await gutter.getAttribute('title'), /\d{4}/);
  // The line that starts the group has its time in the header, not in the gutter.
  assert.equal(await header.getByTestId('gutter-time').count(), 0);
  assert.equal(await header.locator('time').count(), 1);
  await snap(pageA, 'actions-01-gutter-time');
  // A click on the text focuses the line but does not pin the toolbar or the time open.
  await line(pageA, 'Second of two').getByTestId('message-text').click();
  await pageA.mouse.move(5, 5);
  await pageA.waitForFunction((e) => getComputedStyle(e).opacity === '0', await gutter.elementHandle());
  assert.equal(await toolbar(pageA, 'Second of two').evaluate((e) => getComputedStyle(e).opacity), '0');
  // Reached by keyboard (Shift+Tab up from the composer, through its toolbar, to the line), it shows, with the toolbar.
  await pageA.getByLabel('Message', { exact: true }).focus();
  const onLine = () => line(pageA, 'Second of two').evaluate((e) => document.activeElement === e);
  for (let i = 0; i < 6 && !(await onLine()); i++) await pageA.keyboard.press('Shift+Tab');
  assert.equal(await onLine(), true);
  await pageA.waitForFunction((e) => getComputedStyle(e).opacity === '1', await gutter.elementHandle());
  assert.equal(await toolbar(pageA, 'Second of two').evaluate((e) => getComputedStyle(e).opacity), '1');
});

test('screenshot: the ⋯ menu open on a message with reactions', async () => {
  const launch = await apiCall(api, ana, 'POST', `/api/workspaces/${workspaceId}/channels`, { name: 'launch', visibility: 'public' });
  await apiCall(api, bruno, 'POST', `/api/channels/${launch.id}/join`);
  await post(bruno, 'Staging is green, all checks passed ✅', launch.id);
  await post(bruno, 'I will keep an eye on the error rates tonight', launch.id);
  const shipped = await post(ana, 'We shipped 2.4 to everyone 🚀 Thanks all for the late push!', launch.id);
  await post(ana, 'Release notes are in #general', launch.id);
  for (const [who, emoji] of [
    [bruno, '🎉'],
    [ana, '🎉'],
    [bruno, '🚀'],
    [bruno, '❤️'],
  ]) {
    await apiCall(api, who, 'PUT', `/api/messages/${shipped.id}/reactions/${encodeURIComponent(emoji)}`);
  }
  await open(pageA, launch);
  const target = line(pageA, 'We shipped 2.4');
  await target.locator('..').getByTestId('reaction').nth(2).waitFor();
  await target.hover();
  await toolbar(pageA, 'We shipped 2.4').getByRole('button', { name: 'More actions' }).click();
  await menu(pageA).waitFor();
  // The pointer stays on ⋯; the keyboard moves to "Pin to channel" (one item highlighted).
  for (let i = 0; i < 10 && (await focused(pageA)) !== 'Pin to channel'; i++) await pageA.keyboard.press('ArrowDown');
  await pageA.waitForTimeout(300);
  await pageA.screenshot({ path: join(root, 'docs', 'message-actions.png') });
  await pageA.keyboard.press('Escape');
  await menu(pageA).waitFor({ state: 'detached' });
});

test('a thread opened from a link whose root is far up the history shows the root (fetched on its own)', async () => {
  const busy = await apiCall(api, ana, 'POST', `/api/workspaces/${workspaceId}/channels`, { name: 'busy', visibility: 'public' });
  const rootMessage = await post(ana, 'An old question with a thread', busy.id);
  await apiCall(api, bruno, 'POST', `/api/channels/${busy.id}/join`);
  await apiCall(api, bruno, 'POST', `/api/channels/${busy.id}/messages`, { text: 'An old answer', clientMsgId: randomUUID(), threadRootId: rootMessage.id });
  for (let i = 1; i <= 70; i++) await post(ana, `later ${i}`, busy.id);
  await open(pageB, busy, `?thread=${rootMessage.id}`);
  const panel = pageB.getByRole('complementary', { name: 'Thread' });
  await panel.getByTestId('thread-root').filter({ hasText: 'An old question with a thread' }).waitFor({ timeout: 10_000 });
  await panel.getByTestId('message').filter({ hasText: 'An old answer' }).waitFor();
  // Not in the channel's loaded history: only the newest page is.
  assert.equal(await line(pageB, 'An old question with a thread').count(), 0);
});

test('on a phone: no hover toolbar; a long press opens the actions as a bottom sheet, a tap or a scroll does not, and "Reply in thread" opens the thread', async () => {
  const context = await signedInContext(browser, bruno, { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
  const phone = await context.newPage();
  await open(phone);
  const target = line(phone, 'Anyone up for lunch?');
  await target.waitFor();
  await target.scrollIntoViewIfNeeded();
  // The hover toolbar is off on a touch-only screen.
  assert.equal(await phone.evaluate(() => matchMedia('(hover: none)').matches), true);
  assert.equal(await toolbar(phone, 'Anyone up for lunch?').isVisible(), false);

  const cdp = await context.newCDPSession(phone);
  const touch = (type, x, y) => cdp.send('Input.dispatchTouchEvent', { type, touchPoints: type === 'touchEnd' ? [] : [{ x, y }] });
  const box = await target.boundingBox();
  const x = box.x + 40;
  const y = box.y + box.height / 2;
  const sheet = phone.getByTestId('message-action-sheet');

  // A short tap: nothing.
  await touch('touchStart', x, y);
  await phone.waitForTimeout(120);
  await touch('touchEnd');
  await phone.waitForTimeout(700);
  assert.equal(await sheet.count(), 0);
  // A finger that moves (a scroll): nothing either.
  await touch('touchStart', x, y);
  for (let step = 1; step <= 4; step++) {
    await touch('touchMove', x, y - step * 12);
    await phone.waitForTimeout(30);
  }
  await phone.waitForTimeout(650);
  await touch('touchEnd');
  await phone.waitForTimeout(300);
  assert.equal(await sheet.count(), 0);

  // Held still for ~600 ms: the sheet, along the bottom, full width, with rows a thumb can hit.
  const current = await target.boundingBox();
  await touch('touchStart', current.x + 40, current.y + current.height / 2);
  await phone.waitForTimeout(650);
  await touch('touchEnd');
  await sheet.waitFor();
  await phone.waitForTimeout(200);
  const sheetBox = await sheet.boundingBox();
  assert.ok(Math.abs(sheetBox.width - 390) <= 1, `full width (${sheetBox.width})`);
  assert.ok(Math.abs(sheetBox.y + sheetBox.height - 844) <= 1, 'anchored to the bottom');
  const rows = sheet.locator('[data-action]');
  // His own message: everything, Delete last.
  assert.deepEqual(
    (await rows.allTextContents()).map((t) => t.trim()),
    ['Reply in thread', 'Add reaction…', 'Forward…', 'Copy link', 'Copy text', 'Pin to channel', 'Edit message', 'Delete message…'],
  );
  for (const row of await rows.all()) assert.ok((await row.boundingBox()).height >= 48, 'a row at least 48 px high');
  await snap(phone, 'actions-02-phone-sheet');
  await sheet.getByRole('button', { name: 'Reply in thread' }).tap();
  await sheet.waitFor({ state: 'detached' });
  const panel = phone.getByRole('complementary', { name: 'Thread' });
  await panel.getByTestId('thread-root').filter({ hasText: 'Anyone up for lunch?' }).waitFor();
  assert.match(phone.url(), /[?&]thread=[0-9a-f-]{36}/);
  await snap(phone, 'actions-03-phone-thread');
  await context.close();
});
