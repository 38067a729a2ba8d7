// A channel with 100,000 messages: the message list renders only the rows near the viewport,
// loads older pages when scrolled up without moving what the person is looking at, and jumps
// back to the newest message.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { snap, startWorld } from '../support/env.mjs';
import { anaAndBruno, apiCall, signedInContext, workspaceWith } from '../support/people.mjs';

const TOTAL = 100_000;
const PAGE = 50;
const LOADS = 12;
/** Few enough that the list cannot be holding every loaded message in the DOM. */
const MAX_IN_DOM = 150;

let world;
let api;
let browser;
let ana;
let bruno;
let page;
let workspaceId;
let channelId;

before(async () => {
  world = await startWorld();
  ({ api, browser } = world);
  ({ ana, bruno } = await anaAndBruno(world));
});

after(() => world?.stop());

/** The messages in the DOM, in DOM order: their number ("message N …"), and where they are relative to the log. */
async function readLog() {
  return page.locator('[role="log"]').evaluate((log) => {
    const view = log.getBoundingClientRect();
    const rows = log.querySelectorAll('[data-row-key]');
    return {
      scrollTop: log.scrollTop,
      viewTop: view.top,
      viewBottom: view.bottom,
      // The rendered rows follow one another; together they span from the first one's top to the last one's bottom.
      renderedTop: rows.length ? rows[0].getBoundingClientRect().top : null,
      renderedBottom: rows.length ? rows[rows.length - 1].getBoundingClientRect().bottom : null,
      messages: Array.from(log.querySelectorAll('[data-testid="message"]')).map((element) => {
        const rect = element.getBoundingClientRect();
        const match = /^message (\d+)\b/.exec(element.querySelector('p')?.textContent?.trim() ?? '');
        return { n: match ? Number(match[1]) : null, top: rect.top, bottom: rect.bottom };
      }),
    };
  });
}

/** The messages at least partly inside the log's viewport. */
const visible = (log) => log.messages.filter((m) => m.bottom > log.viewTop + 1 && m.top < log.viewBottom - 1);

function assertConsecutive(messages, what) {
  const numbers = messages.map((m) => m.n);
  assert.ok(numbers.length > 0, `${what}: no messages`);
  assert.ok(
    numbers.every((n, i) => n !== null && (i === 0 || n === numbers[i - 1] + 1)),
    `${what}: messages are not in ascending seq order without gaps: ${numbers.join(', ')}`,
  );
}

/** No blank stretch in the viewport: the rendered rows reach from its top to its bottom. */
function assertCovered(log, what) {
  assert.ok(
    log.renderedTop !== null && log.renderedTop <= log.viewTop + 1 && log.renderedBottom >= log.viewBottom - 1,
    `${what}: rows span ${log.renderedTop}..${log.renderedBottom}, the viewport ${log.viewTop}..${log.viewBottom}`,
  );
}

/** Waits until the log's rows stop moving (two reads a few frames apart agree). */
async function settled() {
  let previous = null;
  for (let i = 0; i < 40; i++) {
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    const log = await readLog();
    const key = JSON.stringify([log.scrollTop, log.messages.map((m) => [m.n, Math.round(m.top)])]);
    if (key === previous) return log;
    previous = key;
  }
  throw new Error('the message list kept moving');
}

test(
  'seed a channel with 100,000 messages',
  { skip: !process.env.DATABASE_URL && 'needs DATABASE_URL (seeds with SQL)' },
  async () => {
    workspaceId = await workspaceWith(api, ana, bruno, 'Archive');
    const channel = await apiCall(api, ana, 'POST', `/api/workspaces/${workspaceId}/channels`, {
      name: 'archive',
      visibility: 'public',
    });
    channelId = channel.id;
    await apiCall(api, bruno, 'POST', `/api/channels/${channelId}/join`);

    const db = new pg.Client({ connectionString: api.databaseUrl });
    await db.connect();
    try {
      // Every message goes in by SQL, before anyone connects: the api starts a channel's live delivery after the
      // last_seq it finds when a socket joins, so rows inserted behind a channel it already delivers would be
      // replayed to the browser as "missed" live messages.
      // Senders alternate every 7 messages; blocks of 150 messages 30 s apart, each block a day after the one before
      // (so there are day separators); some messages are long enough to wrap, some have several lines.
      await db.query(
        `INSERT INTO messages (channel_id, seq, sender_id, text, client_msg_id, created_at)
       SELECT $1, g, CASE WHEN (g / 7) % 2 = 0 THEN $2::uuid ELSE $3::uuid END,
              'message ' || g
                || CASE WHEN g % 11 = 0 THEN ' ' || repeat('a longer message that wraps onto more lines ', 3 + g % 5) ELSE '' END
                || CASE WHEN g % 17 = 0 THEN E'\\nsecond line\\nthird line' ELSE '' END,
              gen_random_uuid(),
              now() - make_interval(days => ($4 - g) / 150, secs => (($4 - g) % 150) * 30)
         FROM generate_series(1, $4) AS g`,
        [channelId, ana.user.id, bruno.user.id, TOTAL],
      );
      await db.query('UPDATE channels SET last_seq = $2 WHERE id = $1', [channelId, TOTAL]);
      // Ana last read 30 messages ago: the "new since you left" line shows above Bruno's first newer message.
      await db.query('UPDATE channel_members SET last_read_seq = $3 WHERE channel_id = $1 AND user_id = $2', [
        channelId,
        ana.user.id,
        TOTAL - 30,
      ]);
    } finally {
      await db.end();
    }
    const newest = await apiCall(api, ana, 'GET', `/api/channels/${channelId}/messages?limit=1`);
    assert.equal(newest.items[0].seq, TOTAL);
  },
);

test(
  'the newest messages show at the bottom, with only the rows near the viewport in the DOM',
  { skip: !process.env.DATABASE_URL },
  async () => {
    const context = await signedInContext(browser, ana);
    page = await context.newPage();
    await page.goto(`${api.url}/w/${workspaceId}/c/${channelId}`);
    await page.getByRole('heading', { name: '# archive' }).waitFor();
    await page
      .locator('[role="log"] [data-testid="message"]')
      .filter({ hasText: new RegExp(`^message ${TOTAL}$`) })
      .waitFor();
    const log = await settled();
    const shown = visible(log);
    assertConsecutive(shown, 'on opening');
    assertCovered(log, 'on opening');
    assert.equal(shown.at(-1).n, TOTAL, 'the newest message is the last one in view');
    assert.ok(
      log.viewBottom - shown.at(-1).bottom < 30,
      `the newest message sits at the bottom (${log.viewBottom - shown.at(-1).bottom} px above it)`,
    );
    assert.equal(log.messages.at(-1).n, TOTAL, 'nothing is rendered below the newest message');
    assert.ok(log.messages.length < PAGE, `only the rows near the viewport are rendered (${log.messages.length})`);
    await page.getByTestId('new-since').waitFor();
    await snap(page, 'history-virtual-01-newest');
  },
);

test(
  'scrolling up loads page after page of older messages without moving the view',
  { skip: !process.env.DATABASE_URL },
  async () => {
    // Each older page is held until the view has been measured, so "before" and "after" are certain.
    let gate = Promise.resolve();
    const hold = () => {
      let open;
      gate = new Promise((resolve) => (open = resolve));
      return open;
    };
    await page.route(/\/api\/channels\/[^/]+\/messages\?.*before=/, async (route) => {
      await gate;
      await route.continue();
    });
    const log = page.locator('[role="log"]');
    let oldestLoaded = TOTAL - PAGE + 1;
    for (let load = 1; load <= LOADS; load++) {
      const release = hold();
      const requested = page.waitForRequest((request) => request.url().includes(`before=${oldestLoaded}`));
      await log.evaluate((element) => (element.scrollTop = 0));
      await requested;
      await page.getByText('Loading older messages…').waitFor();
      const before = await settled();
      assertCovered(before, `before load ${load}`);
      const top = visible(before)[0];
      assert.equal(top.n, oldestLoaded, `load ${load}: at the top of the list is the oldest message loaded so far`);

      release();
      await log
        .locator('[data-testid="message"]')
        .filter({ hasText: new RegExp(`^message ${oldestLoaded - 1}\\b`) })
        .waitFor();
      const after = await settled();
      const shown = visible(after);
      assertConsecutive(shown, `after load ${load}`);
      assertCovered(after, `after load ${load}`);
      const same = after.messages.find((m) => m.n === top.n);
      assert.ok(same, `load ${load}: message ${top.n} is still rendered`);
      assert.ok(Math.abs(same.top - top.top) <= 3, `load ${load}: message ${top.n} moved from ${top.top} to ${same.top}`);
      assert.ok(after.messages.length < MAX_IN_DOM, `load ${load}: ${after.messages.length} messages in the DOM`);
      assertConsecutive(after.messages, `load ${load}: the rendered rows`);
      oldestLoaded -= PAGE;
      if (load === 1) await snap(page, 'history-virtual-02-first-older-page');
    }
    await page.unroute(/\/api\/channels\/[^/]+\/messages\?.*before=/);
    await snap(page, 'history-virtual-03-after-loads');

    // Scrolling back down through what was loaded: always a gap-free run, never the whole history in the DOM.
    for (let step = 0; step < 8; step++) {
      await log.evaluate((element) => element.scrollBy(0, element.clientHeight * 3));
      const now = await settled();
      assertConsecutive(visible(now), `scrolling down, step ${step + 1}`);
      assertCovered(now, `scrolling down, step ${step + 1}`);
      assert.ok(now.messages.length < MAX_IN_DOM, `scrolling down: ${now.messages.length} messages in the DOM`);
    }
    await snap(page, 'history-virtual-04-scrolled-down');

    // And with the mouse wheel, the way a person scrolls: up past the top of what is loaded, so older
    // pages load while the wheel turns. What is in view stays a gap-free run with no blank stretch.
    const box = await log.boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    let oldestSeen = Math.min(...(await readLog()).messages.map((m) => m.n));
    for (let turn = 0; turn < 60; turn++) {
      await page.mouse.wheel(0, -500);
      if (turn % 10 === 9) {
        const now = await settled();
        assertConsecutive(visible(now), `wheel, turn ${turn + 1}`);
        assertCovered(now, `wheel, turn ${turn + 1}`);
        assert.ok(now.messages.length < MAX_IN_DOM, `wheel: ${now.messages.length} messages in the DOM`);
        oldestSeen = Math.min(oldestSeen, ...now.messages.map((m) => m.n));
      }
    }
    assert.ok(
      oldestSeen < oldestLoaded,
      `the wheel reached older pages (oldest seen ${oldestSeen}, loaded before ${oldestLoaded})`,
    );
    await snap(page, 'history-virtual-05-wheel');
  },
);

test(
  'a new message while scrolled up shows "1 new message", which jumps to the newest',
  { skip: !process.env.DATABASE_URL },
  async () => {
    const log = page.locator('[role="log"]');
    const before = await settled();
    assert.ok(!before.messages.some((m) => m.n === TOTAL), 'the view is far from the newest message');
    await apiCall(api, bruno, 'POST', `/api/channels/${channelId}/messages`, {
      text: `message ${TOTAL + 1}`,
      clientMsgId: randomUUID(),
    });
    const button = page.getByRole('button', { name: '1 new message ↓' });
    await button.waitFor();
    const still = await settled();
    assert.deepEqual(
      visible(still).map((m) => [m.n, Math.round(m.top)]),
      visible(before).map((m) => [m.n, Math.round(m.top)]),
      'a message arriving below does not move the view',
    );
    await snap(page, 'history-virtual-06-new-message-button');

    await button.click();
    await log
      .locator('[data-testid="message"]')
      .filter({ hasText: new RegExp(`^message ${TOTAL + 1}$`) })
      .waitFor();
    const latest = await settled();
    const shown = visible(latest);
    assertConsecutive(shown, 'after jumping to the newest');
    assert.equal(shown.at(-1).n, TOTAL + 1);
    assert.ok(latest.viewBottom - shown.at(-1).bottom < 30, 'the newest message sits at the bottom');
    assert.ok(latest.messages.length < MAX_IN_DOM, `${latest.messages.length} messages in the DOM`);
    assert.equal(await button.count(), 0, 'the button is gone');

    // Pinned again: the next message keeps the view at the bottom.
    await apiCall(api, bruno, 'POST', `/api/channels/${channelId}/messages`, {
      text: `message ${TOTAL + 2}`,
      clientMsgId: randomUUID(),
    });
    await log
      .locator('[data-testid="message"]')
      .filter({ hasText: new RegExp(`^message ${TOTAL + 2}$`) })
      .waitFor();
    const pinned = await settled();
    assert.equal(visible(pinned).at(-1).n, TOTAL + 2);
    assert.ok(pinned.viewBottom - visible(pinned).at(-1).bottom < 30, 'still at the bottom');
    await snap(page, 'history-virtual-07-back-to-latest');
  },
);
