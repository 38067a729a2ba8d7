import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { root, snap, startWorld } from '../support/env.mjs';
import { anaAndBruno, apiCall, signedInContext, workspaceWith } from '../support/people.mjs';

// Hostile text in every field a person controls and the browser renders: message text (sent and
// edited), display names, status text, the workspace name, channel topics. Nothing may run, and
// nothing dangerous may be in the page. The corpus is the one the unit tests put through the renderer.
const CORPUS = JSON.parse(readFileSync(join(root, 'apps/web/src/testing/xss-corpus.json'), 'utf8'));
const SHORT = CORPUS.filter((payload) => payload.length <= 80);

const NAME_A = '<img src=x onerror=window.__pwned("name-a")>';
const NAME_B = '<svg onload=window.__pwned("name-b")>';
const STATUS = '<script>window.__pwned("status")</script>[s](javascript:alert("status"))';
const WORKSPACE = '<img src=x onerror=alert("workspace")>';
const TOPIC = '<iframe src="javascript:window.__pwned(\'topic\')"></iframe> [t](javascript:alert(1))';
const MARKDOWN = '**bold words** and `inline code` and [a link](https://example.com/docs) :tada:';

let world;
let api;
let browser;
let ana;
let bruno;
let workspaceId;
let channelId;
let pageA;
let pageB;
/** Dialogs opened in either page (alert/confirm/prompt that got past the overrides, in any frame). */
const dialogs = [];

before(async () => {
  world = await startWorld({ env: { RATE_LIMIT_SEND_BURST: '1000', RATE_LIMIT_SENDS_PER_SECOND: '1000' } });
  ({ api, browser } = world);
  ({ ana, bruno } = await anaAndBruno(world));
  await apiCall(api, ana, 'PATCH', '/api/users/me', { displayName: NAME_A, statusText: STATUS });
  await apiCall(api, bruno, 'PATCH', '/api/users/me', { displayName: NAME_B });
  workspaceId = await workspaceWith(api, ana, bruno, WORKSPACE);
  const channel = await apiCall(api, ana, 'POST', `/api/workspaces/${workspaceId}/channels`, {
    name: 'hostile',
    visibility: 'public',
    topic: TOPIC,
  });
  channelId = channel.id;
  await apiCall(api, bruno, 'POST', `/api/channels/${channelId}/join`);
});

after(() => world?.stop());

/** A page whose alert/confirm/prompt and `window.__pwned` (what the payloads call) record into `window.__xss`. */
async function hookedPage(auth) {
  const context = await signedInContext(browser, auth);
  await context.addInitScript(() => {
    window.__xss = [];
    window.__pwned = (what) => window.__xss.push(`pwned:${what}`);
    for (const name of ['alert', 'confirm', 'prompt']) {
      window[name] = (...args) => {
        window.__xss.push(`${name}:${args.join(' ')}`);
        return null;
      };
    }
  });
  const page = await context.newPage();
  page.on('dialog', async (dialog) => {
    dialogs.push(`${dialog.type()}:${dialog.message()}`);
    await dialog.dismiss();
  });
  return page;
}

/** What in the page could run or load hostile content; empty when the page is clean. */
function dangers(page) {
  return page.evaluate(() => {
    const found = [];
    const urlAttributes = ['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'srcdoc', 'poster', 'background'];
    for (const element of document.body.querySelectorAll('*')) {
      for (const attribute of element.attributes) {
        const name = attribute.name.toLowerCase();
        if (name.startsWith('on')) found.push(`${element.tagName} ${name}`);
        if (
          urlAttributes.includes(name) &&
          /^\s*(javascript|data|vbscript):/i.test(attribute.value.replace(/[\s\u0000-\u001f]/g, ''))
        ) {
          found.push(`${element.tagName} ${name}=${attribute.value}`);
        }
      }
      if (element.tagName === 'SCRIPT' && !(element.getAttribute('src') && new URL(element.src).origin === location.origin))
        found.push('inline or foreign script');
      // The app's own forms (the composer) are fine; a form inside a message is caught below, by the allow-list.
      if (['IFRAME', 'OBJECT', 'EMBED', 'FRAME', 'BASE', 'META'].includes(element.tagName)) found.push(element.tagName);
    }
    for (const text of document.querySelectorAll('[data-testid="message-text"]')) {
      for (const element of text.querySelectorAll('*')) {
        if (
          !['P', 'BR', 'STRONG', 'EM', 'DEL', 'CODE', 'PRE', 'BLOCKQUOTE', 'UL', 'OL', 'LI', 'A', 'HR', 'SPAN'].includes(
            element.tagName,
          )
        ) {
          found.push(`message text holds <${element.tagName.toLowerCase()}>`);
        }
        const href = element.getAttribute('href');
        if (href !== null && !/^(https?:\/\/[^/]|mailto:)/i.test(href)) found.push(`message link to ${href}`);
      }
    }
    return found;
  });
}

const record = (page) => page.evaluate(() => window.__xss);
const log = (page) => page.locator('[role="log"]');
const texts = (page) => page.locator('[role="log"] [data-testid="message-text"]');

/**
 * Scrolls the whole log from the newest message to the very first (the list is virtual: only rows
 * near the view are in the DOM), checking the page at every step; the row keys it saw.
 */
async function sweep(page) {
  const seen = new Set();
  const problems = [];
  for (let step = 0; step < 200; step++) {
    problems.push(...(await dangers(page)));
    for (const key of await page.locator('[role="log"] [data-row-key]').evaluateAll((rows) => rows.map((r) => r.dataset.rowKey)))
      seen.add(key);
    const top = await log(page).evaluate((el) => el.scrollTop);
    if (top === 0 && (await page.getByText('This is the very beginning of').count())) break;
    await log(page).evaluate((el) => el.scrollBy(0, -el.clientHeight * 0.8));
    await page.waitForTimeout(150);
  }
  return { seen, problems };
}

test('the hostile names, status, workspace name and topic render as text, and nothing runs', async () => {
  pageA = await hookedPage(ana);
  pageB = await hookedPage(bruno);
  for (const page of [pageA, pageB]) {
    await page.goto(`${api.url}/w/${workspaceId}/c/${channelId}`);
    await page.getByRole('heading', { name: '# hostile' }).waitFor();
  }
  // Each field is on the page, as the literal text that was typed (so the check below is about real renders).
  await pageB.locator('header').getByText(TOPIC, { exact: false }).waitFor();
  assert.ok((await pageB.locator('#workspace-switcher option').allTextContents()).map((t) => t.trim()).includes(WORKSPACE));
  await pageB.getByRole('button', { name: 'Members' }).click();
  await pageB.getByText(NAME_A).first().waitFor();
  await pageB.getByText(NAME_B).first().waitFor();
  assert.deepEqual(await dangers(pageB), []);
  assert.deepEqual(await record(pageB), []);
  assert.deepEqual(dialogs, []);
});

test('a channel name cannot carry markup at all: the api refuses it', async () => {
  const response = await fetch(`${api.url}/api/workspaces/${workspaceId}/channels`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ana.accessToken}` },
    body: JSON.stringify({ name: '<img src=x onerror=alert(1)>', visibility: 'public' }),
  });
  assert.equal(response.status, 400);
});

test('every corpus payload, sent and edited, renders in both pages without running or leaving anything dangerous', async () => {
  const keys = [];
  const sent = [];
  for (const [index, payload] of CORPUS.entries()) {
    const clientMsgId = randomUUID();
    keys.push(clientMsgId);
    sent.push(
      await apiCall(api, index % 2 ? bruno : ana, 'POST', `/api/channels/${channelId}/messages`, { text: payload, clientMsgId }),
    );
  }
  // One typed into the composer, as a person would (the pending copy renders too).
  const typed = '<img src=x onerror=window.__pwned("typed")> [x](javascript:alert("typed")) **typed**';
  await pageA.getByLabel('Message', { exact: true }).fill(typed);
  await pageA.getByLabel('Message', { exact: true }).press('Enter');
  await texts(pageB).filter({ hasText: 'typed' }).last().waitFor();
  // Edits: the payloads again, in the other order, replace earlier texts live.
  for (const [index, message] of sent.slice(0, SHORT.length).entries()) {
    if (message.senderId !== ana.user.id) continue;
    await apiCall(api, ana, 'PATCH', `/api/messages/${message.id}`, { text: `${SHORT[SHORT.length - 1 - index]} (e)` });
  }
  await apiCall(api, ana, 'POST', `/api/channels/${channelId}/messages`, { text: MARKDOWN, clientMsgId: randomUUID() });
  for (const page of [pageA, pageB]) {
    await texts(page).filter({ hasText: 'bold words' }).waitFor();
    const { seen, problems } = await sweep(page);
    assert.deepEqual(problems, []);
    assert.deepEqual(
      keys.filter((key) => !seen.has(key)),
      [],
      'every payload was rendered at some point of the sweep',
    );
    assert.ok((await page.getByTestId('edited').count()) > 0, 'edited messages are on the page');
  }
  await pageB.reload();
  await pageB.getByRole('heading', { name: '# hostile' }).waitFor();
  await texts(pageB).filter({ hasText: 'bold words' }).waitFor();
  assert.deepEqual((await sweep(pageB)).problems, []);
  assert.deepEqual(await record(pageA), []);
  assert.deepEqual(await record(pageB), []);
  assert.deepEqual(dialogs, []);
});

test('the hooks would have caught a payload that ran (the check can fail)', async () => {
  await pageB.evaluate(() => {
    alert('probe');
    window.__pwned('probe');
  });
  assert.deepEqual(await record(pageB), ['alert:probe', 'pwned:probe']);
  await pageB.evaluate(() => {
    window.__xss.length = 0;
  });
});

test('Markdown renders as formatting: bold, code and a link are elements', async () => {
  await log(pageB).evaluate((el) => el.scrollTo(0, el.scrollHeight));
  const formatted = texts(pageB).filter({ hasText: 'bold words' });
  await formatted.waitFor();
  assert.equal(await formatted.locator('strong').textContent(), 'bold words');
  assert.equal(await formatted.locator('code').textContent(), 'inline code');
  const link = formatted.getByRole('link', { name: 'a link' });
  assert.equal(await link.getAttribute('href'), 'https://example.com/docs');
  assert.equal(await link.getAttribute('target'), '_blank');
  assert.equal(await link.getAttribute('rel'), 'noopener noreferrer nofollow');
  await pageB.waitForFunction(() =>
    Array.from(document.querySelectorAll('[data-testid="message-text"]')).some(
      (t) => t.textContent.includes('bold words') && t.textContent.includes('🎉'),
    ),
  );
  await snap(pageB, 'xss-00-formatted');
});

test('a channel of formatted messages (docs/markdown.png)', async () => {
  // Friendly names for the picture; the hostile ones were checked above.
  await apiCall(api, ana, 'PATCH', '/api/users/me', { displayName: 'Ana Lima', statusText: null });
  await apiCall(api, bruno, 'PATCH', '/api/users/me', { displayName: 'Bruno Costa' });
  await apiCall(api, ana, 'PATCH', `/api/workspaces/${workspaceId}`, { name: 'Acme' });
  const channel = await apiCall(api, ana, 'POST', `/api/workspaces/${workspaceId}/channels`, {
    name: 'formatting',
    visibility: 'public',
    topic: 'Markdown in chat',
  });
  await apiCall(api, bruno, 'POST', `/api/channels/${channel.id}/join`);
  const lines = [
    [
      ana,
      '# Release 2.4 is out :tada:\nThe notes are at https://example.com/releases/2.4 and the board at www.example.com/board',
    ],
    [bruno, 'Nice! **Bold**, _italic_, ~~strike~~ and `inline code` all work now :+1:'],
    [
      ana,
      '> Ship small, ship often.\n\nSo the checklist for tomorrow:\n1. Tag the build\n2. Run `npm run e2e`\n3. Tell #general',
    ],
    [bruno, '```ts\nexport function greet(name: string): string {\n  return `Hello, ${name}!`;\n}\n```'],
    [
      ana,
      '- [docs](https://example.com/docs)\n- mail ana@example.com\n- <b>raw html</b> stays text, [this](javascript:alert(1)) is no link',
    ],
  ];
  for (const [who, text] of lines)
    await apiCall(api, who, 'POST', `/api/channels/${channel.id}/messages`, { text, clientMsgId: randomUUID() });
  await pageB.goto(`${api.url}/w/${workspaceId}/c/${channel.id}`);
  await pageB.getByRole('heading', { name: '# formatting' }).waitFor();
  await texts(pageB).locator('pre code.language-ts').waitFor();
  await pageB.waitForFunction(() => document.querySelector('[role="log"]')?.textContent.includes('🎉'));
  assert.deepEqual(await dangers(pageB), []);
  await pageB.screenshot({ path: join(root, 'docs/markdown.png') });
});
