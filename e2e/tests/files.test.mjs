import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import { root, snap } from '../support/env.mjs';
import { signedInContext, twoInAWorkspace } from '../support/people.mjs';

// Files in the browser (issue #14): a dropped image uploads with a progress bar and the other
// person sees its thumbnail live and opens it in the lightbox; a picked PDF is a card that
// downloads as an attachment; a pasted screenshot; the Files panel; files dropped on the thread
// panel; a profile picture shown in the conversation.
let world;
let api;
let browser;
let ana;
let bruno;
let pageA;
let pageB;
let workspaceId;
let general;
let chart;

before(async () => {
  ({ world, api, browser, ana, bruno, workspaceId, general } = await twoInAWorkspace('Files'));
  chart = await chartPng();
});

after(() => world?.stop());

/** A 960×540 bar chart (a real PNG, for the screenshot in docs/). */
function chartPng() {
  const bars = [38, 52, 47, 66, 71, 84, 90]
    .map(
      (h, i) =>
        `<rect x="${110 + i * 115}" y="${460 - h * 4}" width="70" height="${h * 4}" rx="6" fill="#4f46e5" opacity="${0.55 + i * 0.06}"/>`,
    )
    .join('');
  const labels = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']
    .map((d, i) => `<text x="${145 + i * 115}" y="500" font-size="22" text-anchor="middle" fill="#334155">${d}</text>`)
    .join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="960" height="540">
    <rect width="960" height="540" fill="#f8fafc"/>
    <text x="60" y="70" font-size="34" font-weight="700" fill="#0f172a" font-family="sans-serif">Weekly active users</text>
    <line x1="80" y1="460" x2="900" y2="460" stroke="#94a3b8" stroke-width="2"/>${bars}${labels}</svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

const log = (page) => page.locator('[role="log"]').first();
const message = (page, text) =>
  log(page)
    .locator('app-message-body')
    .filter({ has: page.locator('[data-testid="message"]', { hasText: text }) });

async function open(page) {
  await page.goto(`${api.url}/w/${workspaceId}/c/${general.id}`);
  await page.getByRole('heading', { name: '# general' }).waitFor();
}

/** A DataTransfer holding one file made of `bytes`, in the page (what a drag from the desktop carries). */
function dataTransfer(page, name, type, bytes) {
  return page.evaluateHandle(
    ({ name, type, base64 }) => {
      const data = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([data], name, { type }));
      return transfer;
    },
    { name, type, base64: Buffer.from(bytes).toString('base64') },
  );
}

/** Drags a file over `target` (the drop zone shows) and lets go. */
async function dropFile(page, target, name, type, bytes) {
  const transfer = await dataTransfer(page, name, type, bytes);
  await target.dispatchEvent('dragenter', { dataTransfer: transfer });
  await target.dispatchEvent('dragover', { dataTransfer: transfer });
  await page.getByTestId('drop-zone').first().waitFor();
  await target.dispatchEvent('drop', { dataTransfer: transfer });
}

/** Resolves once the upload request of `name` is held, and lets it go on `release()`. */
async function holdUploads(page) {
  let release;
  const gate = new Promise((resolve) => (release = resolve));
  let seen;
  const held = new Promise((resolve) => (seen = resolve));
  await page.route('**/api/channels/*/files', async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    seen();
    await gate;
    await route.continue();
  });
  return { held, release: () => release(), stop: () => page.unroute('**/api/channels/*/files') };
}

test('A drops an image on the conversation: a progress bar while it uploads, then B sees the thumbnail live and opens the lightbox', async () => {
  pageA = await (await signedInContext(browser, ana)).newPage();
  pageB = await (await signedInContext(browser, bruno)).newPage();
  for (const page of [pageA, pageB]) await open(page);

  const uploads = await holdUploads(pageA);
  await dropFile(pageA, log(pageA), 'weekly-active-users.png', 'image/png', chart);
  await uploads.held;
  const chip = pageA.getByTestId('upload-chip').filter({ hasText: 'weekly-active-users.png' });
  await chip.getByRole('progressbar', { name: 'Uploading weekly-active-users.png' }).waitFor();
  // Its preview, made in the page (a blob: URL, which the CSP lets in), shows at once.
  const preview = chip.locator('img');
  await pageA.waitForFunction((img) => img.complete && img.naturalWidth === 960 && img.src.startsWith('blob:'), await preview.elementHandle());
  // Sending waits for the upload.
  await pageA.getByLabel('Message', { exact: true }).fill('This week’s numbers');
  assert.equal(await pageA.getByRole('button', { name: 'Send' }).isDisabled(), true);
  uploads.release();
  await chip.getByRole('progressbar').waitFor({ state: 'detached', timeout: 10_000 });
  await uploads.stop();
  await pageA.getByRole('button', { name: 'Send' }).click();
  await pageA.getByTestId('upload-chip').waitFor({ state: 'detached' });

  // B: the thumbnail arrives live, and loads (the files cookie lets <img> fetch it).
  const thumb = message(pageB, 'This week’s numbers').getByTestId('file-thumbnail');
  await thumb.waitFor({ timeout: 5000 });
  await pageB.waitForFunction((img) => img.complete && img.naturalWidth > 0, await thumb.elementHandle());
  await message(pageB, 'This week’s numbers').getByRole('button', { name: 'Open image weekly-active-users.png' }).click();
  const big = pageB.getByTestId('lightbox-image');
  await big.waitFor();
  await pageB.waitForFunction((img) => img.complete && img.naturalWidth === 960, await big.elementHandle());
  await pageB.getByRole('button', { name: 'Zoom in' }).click();
  await pageB.getByRole('button', { name: 'Fit to window', pressed: false }).waitFor();
  await snap(pageB, 'files-00-lightbox');
  await pageB.keyboard.press('Escape');
  await big.waitFor({ state: 'detached' });
});

test('A picks a PDF with the attach button and sends it without text; B gets a card whose download is an attachment, byte for byte', async () => {
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
  await pageA
    .getByTestId('composer-file-input')
    .setInputFiles({ name: 'Q3 report.pdf', mimeType: 'application/pdf', buffer: pdf });
  await pageA.getByTestId('upload-chip').filter({ hasText: 'Q3 report.pdf' }).waitFor();
  await pageA.getByRole('button', { name: 'Send' }).waitFor({ state: 'visible' });
  await pageA.waitForFunction(() => !document.querySelector('button[aria-label="Send"]')?.hasAttribute('disabled'));
  await pageA.getByLabel('Message', { exact: true }).press('Enter');

  const card = log(pageB).getByTestId('file-card').filter({ hasText: 'Q3 report.pdf' });
  await card.waitFor({ timeout: 5000 });
  const href = await card.getByTestId('file-download').getAttribute('href');
  // Fetched as the page would, with its cookie: an attachment, never rendered on our origin.
  const answer = await pageB.evaluate(async (url) => {
    const response = await fetch(url);
    const bytes = new Uint8Array(await response.arrayBuffer());
    return {
      status: response.status,
      disposition: response.headers.get('content-disposition'),
      nosniff: response.headers.get('x-content-type-options'),
      csp: response.headers.get('content-security-policy'),
      bytes: Array.from(bytes),
    };
  }, href);
  assert.equal(answer.status, 200);
  assert.match(answer.disposition, /^attachment;/);
  assert.equal(answer.nosniff, 'nosniff');
  assert.match(answer.csp, /sandbox/);
  assert.equal(
    createHash('sha256').update(Buffer.from(answer.bytes)).digest('hex'),
    createHash('sha256').update(pdf).digest('hex'),
  );
});

test('a screenshot pasted into the composer is attached (named for when it was pasted) and sent', async () => {
  // What a screenshot of an error looks like.
  const shot = await sharp(
    Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="640" height="180">
      <rect width="640" height="180" fill="#1e1e2e"/>
      <rect x="16" y="16" width="608" height="148" rx="10" fill="#2a2a3c" stroke="#f38ba8" stroke-width="2"/>
      <text x="40" y="60" font-size="22" font-family="monospace" fill="#f38ba8">TypeError: Cannot read properties</text>
      <text x="40" y="92" font-size="22" font-family="monospace" fill="#f38ba8">of undefined (reading 'id')</text>
      <text x="40" y="134" font-size="18" font-family="monospace" fill="#a6adc8">at checkout.ts:42:17</text></svg>`),
  )
    .png()
    .toBuffer();
  const box = pageA.getByLabel('Message', { exact: true });
  await box.fill('see the error');
  const transfer = await dataTransfer(pageA, 'image.png', 'image/png', shot);
  await box.evaluate((element, clipboardData) => {
    element.dispatchEvent(new ClipboardEvent('paste', { clipboardData, bubbles: true, cancelable: true }));
  }, transfer);
  await pageA
    .getByTestId('upload-chip')
    .filter({ hasText: /^.*Pasted image .*\.png/ })
    .waitFor();
  assert.equal(await box.inputValue(), 'see the error');
  await pageA.waitForFunction(() => !document.querySelector('button[aria-label="Send"]')?.hasAttribute('disabled'));
  await box.press('Enter');
  await message(pageB, 'see the error').getByTestId('file-thumbnail').waitFor({ timeout: 5000 });
});

/** One second of a 440 Hz tone, 8 kHz mono 16-bit PCM, as a WAV file. */
function toneWav() {
  const rate = 8000;
  const samples = rate;
  const data = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) data.writeInt16LE(Math.round(Math.sin((2 * Math.PI * 440 * i) / rate) * 12000), i * 2);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

test('an audio file gets a player that loads and knows its length (the bytes come in ranges, with the cookie)', async () => {
  const ranges = [];
  const onRequest = (request) => {
    if (/\/api\/files\/[0-9a-f-]{36}\/content/.test(request.url()) && request.headers().range)
      ranges.push(request.headers().range);
  };
  pageB.on('request', onRequest);
  await pageA.getByTestId('composer-file-input').setInputFiles({ name: 'standup.wav', mimeType: 'audio/wav', buffer: toneWav() });
  await pageA.getByTestId('upload-chip').filter({ hasText: 'standup.wav' }).waitFor();
  await pageA.waitForFunction(() => !document.querySelector('button[aria-label="Send"]')?.hasAttribute('disabled'));
  await pageA.getByLabel('Message', { exact: true }).fill('the recording');
  await pageA.getByLabel('Message', { exact: true }).press('Enter');
  const player = message(pageB, 'the recording').getByTestId('file-player');
  await player.waitFor({ timeout: 5000 });
  const audio = player.locator('audio');
  await pageB.waitForFunction(
    (element) => element.readyState >= 1 && Math.abs(element.duration - 1) < 0.05,
    await audio.elementHandle(),
    { timeout: 10_000 },
  );
  assert.equal(await audio.getAttribute('aria-label'), 'standup.wav');
  pageB.off('request', onRequest);
  assert.ok(ranges.length > 0, 'the player asked for a range');
});

test('the Files panel lists the channel’s files, newest first', async () => {
  await pageB.getByRole('button', { name: 'Files', exact: true }).click();
  const items = pageB.getByRole('list', { name: 'Files in this channel' }).getByTestId('files-item');
  await items.first().waitFor();
  await pageB.waitForFunction(() => document.querySelectorAll('[data-testid="files-item"]').length === 4);
  const names = await items.allInnerTexts();
  assert.match(names[0], /standup\.wav/);
  assert.match(names[1], /Pasted image/);
  assert.match(names[2], /Q3 report\.pdf/);
  assert.match(names[3], /weekly-active-users\.png/);
  await pageB.getByRole('button', { name: 'Close files' }).click();
});

test('files dropped on the thread panel go to the thread’s composer, not the channel’s', async () => {
  await message(pageA, 'This week’s numbers').hover();
  await message(pageA, 'This week’s numbers')
    .getByRole('toolbar', { name: 'Message actions' })
    .getByRole('button', { name: 'Reply in thread' })
    .click();
  const panel = pageA.getByRole('complementary', { name: 'Thread' });
  await panel.waitFor();
  await dropFile(
    pageA,
    panel.getByTestId('thread-drop'),
    'notes.txt',
    'text/plain',
    Buffer.from('numbers from the warehouse, not the app\n'),
  );
  const reply = panel.getByLabel('Reply', { exact: true });
  await panel.getByTestId('upload-chip').filter({ hasText: 'notes.txt' }).waitFor();
  // The channel's composer got nothing.
  assert.equal(await pageA.locator('app-channel-view app-composer').first().getByTestId('upload-chip').count(), 0);
  await reply.fill('source data attached');
  await pageA.waitForFunction(() => {
    const buttons = document.querySelectorAll('[aria-label="Thread"] button[aria-label="Send"]');
    return buttons.length > 0 && !buttons[0].hasAttribute('disabled');
  });
  await reply.press('Enter');
  await panel.getByTestId('file-card').filter({ hasText: 'notes.txt' }).waitFor({ timeout: 5000 });
  await panel.getByRole('button', { name: 'Close thread' }).click();
});

test('A uploads a profile picture; it replaces her initials in the conversation, for B live', async () => {
  // A 300×200 picture (made square by the server): a person's silhouette on a gradient.
  const face = await sharp(
    Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="300" height="200">
      <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#fbbf24"/><stop offset="1" stop-color="#db2777"/></linearGradient></defs>
      <rect width="300" height="200" fill="url(#g)"/>
      <circle cx="150" cy="82" r="38" fill="#fff7ed"/><ellipse cx="150" cy="200" rx="72" ry="62" fill="#fff7ed"/></svg>`),
  )
    .png()
    .toBuffer();
  await pageA.goto(`${api.url}/profile`);
  await pageA.getByRole('heading', { name: 'Profile', exact: true }).waitFor();
  await pageA.getByTestId('profile-picture-input').setInputFiles({ name: 'me.png', mimeType: 'image/png', buffer: face });
  const picture = pageA.getByTestId('profile-picture');
  await picture.waitFor({ timeout: 10_000 });
  await pageA.waitForFunction((img) => img.complete && img.naturalWidth > 0, await picture.elementHandle());

  // No reload: B's screen follows (userUpdated).
  // Only Ana has written in #general: every picture beside the messages is hers.
  const anyAvatar = log(pageB).locator('app-avatar img').first();
  await anyAvatar.waitFor({ timeout: 5000 });
  await pageB.waitForFunction((img) => img.complete && img.naturalWidth > 0, await anyAvatar.elementHandle());
  // A square picture, made from a 300×200 one.
  const size = await anyAvatar.evaluate((img) => [img.naturalWidth, img.naturalHeight]);
  assert.equal(size[0], size[1]);
});

test('screenshots: a conversation with an image message, a file card and a profile picture; the lightbox', async () => {
  await pageB.bringToFront();
  await message(pageB, 'This week’s numbers').scrollIntoViewIfNeeded();
  await pageB.waitForTimeout(300);
  await pageB.screenshot({ path: join(root, 'docs', 'files.png') });
  await message(pageB, 'This week’s numbers').getByRole('button', { name: 'Open image weekly-active-users.png' }).click();
  const big = pageB.getByTestId('lightbox-image');
  await pageB.waitForFunction((img) => img.complete && img.naturalWidth === 960, await big.elementHandle());
  await pageB.screenshot({ path: join(root, 'docs', 'files-lightbox.png') });
  await pageB.keyboard.press('Escape');
});
