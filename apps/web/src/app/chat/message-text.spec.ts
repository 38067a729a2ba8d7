import { ComponentFixture, TestBed } from '@angular/core/testing';
import XSS_CORPUS from '@web/testing/xss-corpus.json';

import { loadEmojiMap, type MentionContext, MessageText, renderMessageText, safeHref } from './message-text';

/** The markup a text renders to, as the page would hold it. */
function html(text: string, emoji: ReadonlyMap<string, string> | null = null): string {
  const box = document.createElement('div');
  box.append(renderMessageText(text, emoji));
  return box.innerHTML;
}

function rendered(text: string): HTMLElement {
  const box = document.createElement('div');
  box.append(renderMessageText(text));
  return box;
}

const ALLOWED = new Set(['P', 'BR', 'STRONG', 'EM', 'DEL', 'CODE', 'PRE', 'BLOCKQUOTE', 'UL', 'OL', 'LI', 'A', 'HR', 'SPAN']);

/** Every way a rendered message could run or load something; empty when it is inert. */
function dangers(root: HTMLElement): string[] {
  const found: string[] = [];
  for (const element of Array.from(root.querySelectorAll('*'))) {
    const tag = element.tagName;
    if (!ALLOWED.has(tag)) found.push(`<${tag.toLowerCase()}>`);
    for (const attribute of Array.from(element.attributes)) {
      const name = attribute.name.toLowerCase();
      if (name.startsWith('on')) found.push(`${tag} ${name}`);
      if (
        name === 'style' ||
        name === 'src' ||
        name === 'srcset' ||
        name === 'action' ||
        name === 'formaction' ||
        name.includes(':')
      )
        found.push(`${tag} ${name}`);
      if (name === 'class' && !(tag === 'CODE' && /^language-[\w#+.-]+$/.test(attribute.value)))
        found.push(`${tag} class=${attribute.value}`);
    }
    const href = element.getAttribute('href');
    if (href !== null && !/^(https?:\/\/[^/]|mailto:)/i.test(href)) found.push(`${tag} href=${href}`);
    if (
      tag === 'A' &&
      (element.getAttribute('target') !== '_blank' || element.getAttribute('rel') !== 'noopener noreferrer nofollow')
    )
      found.push('link without target/rel');
  }
  return found;
}

describe('renderMessageText (Markdown for chat)', () => {
  it('renders a plain message as one paragraph holding exactly its text', () => {
    expect(html('hello world')).toBe('<p>hello world</p>');
    expect(rendered('message 12: done, 3 > 2 & 1 < 2').textContent).toBe('message 12: done, 3 > 2 & 1 < 2');
  });

  it('renders bold, italic, strike and inline code', () => {
    expect(html('**bold** *it* _also_ ~~gone~~ `a < b`')).toBe(
      '<p><strong>bold</strong> <em>it</em> <em>also</em> <del>gone</del> <code>a &lt; b</code></p>',
    );
    expect(html('snake_case_name stays')).toBe('<p>snake_case_name stays</p>');
  });

  it('keeps a single newline as a line break, as chat does', () => {
    expect(html('one\ntwo')).toBe('<p>one<br>\ntwo</p>');
    expect(rendered('message 17\nsecond line\nthird line').textContent).toBe('message 17\nsecond line\nthird line');
    expect(html('one\n\ntwo')).toBe('<p>one</p><p>two</p>');
  });

  it('renders a fenced code block with its language, and nothing inside it is formatted', () => {
    expect(html('```ts\nconst a = **1** < 2; // :tada:\n```', new Map([['tada', '🎉']]))).toBe(
      '<pre><code class="language-ts">const a = **1** &lt; 2; // :tada:</code></pre>',
    );
    expect(html('```\nplain\n```')).toBe('<pre><code>plain</code></pre>');
    // A language that is not one word is no class at all (no class injection through the fence).
    expect(html('```a"b\nx\n```')).toBe('<pre><code>x</code></pre>');
  });

  it('renders block quotes and lists', () => {
    expect(html('> quoted\n> more')).toBe('<blockquote><p>quoted<br>\nmore</p></blockquote>');
    expect(html('- a\n- b')).toBe('<ul><li>a</li><li>b</li></ul>');
    expect(html('1. a\n2. b')).toBe('<ol><li>a</li><li>b</li></ol>');
    expect(html('3. c\n4. d')).toBe('<ol start="3"><li>c</li><li>d</li></ol>');
  });

  it('makes links, bare URLs, www. and emails clickable in a new tab without referrer', () => {
    const rel = 'target="_blank" rel="noopener noreferrer nofollow"';
    expect(html('[docs](https://example.com/a?b=1&c=2)')).toBe(
      `<p><a href="https://example.com/a?b=1&amp;c=2" ${rel}>docs</a></p>`,
    );
    expect(html('see https://example.com/x, ok')).toBe(
      `<p>see <a href="https://example.com/x" ${rel}>https://example.com/x</a>, ok</p>`,
    );
    expect(html('www.example.com')).toBe(`<p><a href="http://www.example.com/" ${rel}>www.example.com</a></p>`);
    expect(html('mail ana@example.com')).toBe(`<p>mail <a href="mailto:ana@example.com" ${rel}>ana@example.com</a></p>`);
  });

  it('never loads an image: it becomes a link to it', () => {
    const box = rendered('![pixel](https://tracker.example/p.gif)');
    expect(box.querySelector('img')).toBeNull();
    expect(box.querySelector('a')?.getAttribute('href')).toBe('https://tracker.example/p.gif');
    expect(box.textContent).toBe('pixel');
  });

  it('renders a heading as bold text at the normal size', () => {
    expect(html('# Big news')).toBe('<p><strong>Big news</strong></p>');
    expect(html('### small')).toBe('<p><strong>small</strong></p>');
  });

  it('shows raw HTML as the text it was typed as', () => {
    expect(rendered('Hi Ana! <b>not bold</b>').textContent).toBe('Hi Ana! <b>not bold</b>');
    expect(rendered('Hi Ana! <b>not bold</b>').querySelector('b')).toBeNull();
    expect(rendered('<div>\nblock\n</div>').textContent).toBe('<div>\nblock\n</div>');
  });

  it('turns :shortcodes: into emoji, except in code, and leaves unknown ones as typed', () => {
    const emoji = new Map([
      ['tada', '🎉'],
      ['+1', '👍'],
    ]);
    expect(html('done :tada: :+1: :nope:', emoji)).toBe('<p>done 🎉 👍 :nope:</p>');
    expect(html('`:tada:`', emoji)).toBe('<p><code>:tada:</code></p>');
    // Before the table has loaded, a shortcode is shown as typed.
    expect(html(':tada:')).toBe('<p>:tada:</p>');
  });

  it('knows the emoji-mart shortcodes and their aliases', async () => {
    const emoji = await loadEmojiMap();
    expect(html(':tada: :+1: :thumbsup: :heart: :TADA:', emoji)).toBe('<p>🎉 👍 👍 ❤️ 🎉</p>');
  });
});

describe('safeHref', () => {
  it('passes absolute http(s) and mailto URLs, in their own serialisation', () => {
    expect(safeHref('https://example.com')).toBe('https://example.com/');
    expect(safeHref('HTTP://Example.com/a b')).toBe('http://example.com/ab');
    expect(safeHref('mailto:a@example.com')).toBe('mailto:a@example.com');
  });

  it.each([
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    ' javascript:alert(1)',
    'java\tscript:alert(1)',
    'java\u0000script:alert(1)',
    '&#106;avascript:alert(1)',
    '&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)',
    'javascript&colon;alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)',
    '//evil.example',
    '/relative',
    'http:evil',
    'ftp://example.com',
  ])('refuses %j', (raw) => {
    expect(safeHref(raw)).toBeNull();
  });
});

describe('renderMessageText against an XSS corpus', () => {
  it('has a corpus worth the name', () => {
    expect(XSS_CORPUS.length).toBeGreaterThanOrEqual(40);
  });

  it.each(XSS_CORPUS)('renders %j inert', (payload) => {
    expect(dangers(rendered(payload))).toEqual([]);
  });

  it('shows a link it will not follow as its label, with nothing to click', () => {
    const box = rendered('[click me](javascript:alert(1))');
    expect(box.querySelector('a')).toBeNull();
    expect(box.textContent).toBe('click me');
  });

  it('catches what the renderer might miss: DOMPurify removes a javascript: href that reached it', () => {
    // A checker that cannot fail is no checker: the same helper sees a dangerous link when there is one.
    const box = document.createElement('div');
    box.innerHTML = '<a href="javascript:alert(1)" onclick="x()">x</a><img src="x">';
    expect(dangers(box).length).toBeGreaterThan(0);
  });
});

const ME = '0a0a0a0a-0000-4000-8000-000000000001';
const BRUNO = '0a0a0a0a-0000-4000-8000-000000000002';
const GENERAL = '0c0c0c0c-0000-4000-8000-000000000001';
const GONE = '0d0d0d0d-0000-4000-8000-000000000009';

const context: MentionContext = {
  me: () => ME,
  userName: (id) => ({ [ME]: 'Me Myself', [BRUNO]: 'Bruno Costa' })[id] ?? null,
  channelName: (id) => (id === GENERAL ? 'general' : null),
  channelPath: (id) => (id === GENERAL ? `/w/w1/c/${GENERAL}` : null),
};

function withMentions(text: string, mentions: MentionContext | null = context): HTMLElement {
  const box = document.createElement('div');
  box.append(renderMessageText(text, null, mentions));
  return box;
}

describe('renderMessageText: mentions', () => {
  it('shows a person token as a chip with their current name, one’s own chip marked', () => {
    const box = withMentions(`hi <@${BRUNO}> and <@${ME}>!`);
    const chips = Array.from(box.querySelectorAll('[data-mention="user"]'));
    expect(chips.map((chip) => chip.textContent)).toEqual(['@Bruno Costa', '@Me Myself']);
    expect(chips.map((chip) => chip.hasAttribute('data-me'))).toEqual([false, true]);
    expect(box.textContent).toBe('hi @Bruno Costa and @Me Myself!');
  });

  it('shows a channel token as a link into the app, and @channel / @here as chips', () => {
    const box = withMentions(`see <#${GENERAL}>, @here and @channel`);
    const link = box.querySelector<HTMLAnchorElement>('a[data-mention="channel"]')!;
    expect(link.textContent).toBe('#general');
    expect(link.getAttribute('href')).toBe(`${location.origin}/w/w1/c/${GENERAL}`);
    expect(link.dataset['channelPath']).toBe(`/w/w1/c/${GENERAL}`);
    expect(Array.from(box.querySelectorAll('[data-mention="broadcast"]')).map((c) => c.textContent)).toEqual(['@here', '@channel']);
  });

  it('shows ids that name nobody known as @unknown and #unknown, and without names at all too', () => {
    expect(withMentions(`<@${GONE}> <#${GONE}>`).textContent).toBe('@unknown #unknown');
    expect(withMentions(`<@${BRUNO}> <#${GENERAL}>`, null).textContent).toBe('@unknown #unknown');
    expect(withMentions(`<#${GONE}>`).querySelector('a')).toBeNull();
  });

  it('keeps tokens in code spans, code blocks and link labels as typed, and words like @channels or an email as text', () => {
    const box = withMentions(`\`<@${BRUNO}>\` and\n\n\`\`\`\n<#${GENERAL}> @here\n\`\`\``);
    expect(box.querySelectorAll('[data-mention]').length).toBe(0);
    expect(box.textContent).toContain(`<@${BRUNO}>`);
    expect(box.textContent).toContain(`<#${GENERAL}> @here`);
    const words = withMentions('@channels ana@here.example x@here');
    expect(words.querySelectorAll('[data-mention]').length).toBe(0);
  });

  it('keeps Markdown around a chip: a mention in bold is a chip in bold', () => {
    const box = withMentions(`**<@${BRUNO}>** _@here_`);
    expect(box.querySelector('strong [data-mention="user"]')?.textContent).toBe('@Bruno Costa');
    expect(box.querySelector('em [data-mention="broadcast"]')).not.toBeNull();
  });

  it('puts a hostile name in as text, and never links a path that is not the app’s own', () => {
    const hostile: MentionContext = {
      ...context,
      userName: () => '<img src=x onerror=alert(1)>',
      channelName: () => '<script>alert(1)</script>',
      channelPath: () => 'javascript:alert(1)',
    };
    const box = withMentions(`<@${BRUNO}> <#${GENERAL}>`, hostile);
    expect(box.querySelector('img, script, a')).toBeNull();
    expect(box.textContent).toBe('@<img src=x onerror=alert(1)> #unknown');
    expect(withMentions(`<#${GENERAL}>`, { ...context, channelPath: () => '//evil.example/x' }).querySelector('a')).toBeNull();
  });

  it.each(XSS_CORPUS)('renders %j inert with names for its tokens', (payload) => {
    const everyone: MentionContext = { me: () => ME, userName: () => 'Ana', channelName: () => 'general', channelPath: (id) => `/w/w1/c/${id}` };
    const dangerous = dangers(withMentions(payload, everyone)).filter((found) => !found.startsWith('SPAN') && !found.startsWith('A class'));
    expect(dangerous).toEqual([]);
  });
});

describe('MessageText (the component)', () => {
  let fixture: ComponentFixture<MessageText>;

  async function show(text: string): Promise<HTMLElement> {
    fixture.componentRef.setInput('text', text);
    await fixture.whenStable();
    return fixture.nativeElement as HTMLElement;
  }

  beforeEach(() => {
    fixture = TestBed.createComponent(MessageText);
  });

  it('renders the text, and follows it when it changes (an edit)', async () => {
    expect((await show('**first**')).innerHTML).toBe('<p><strong>first</strong></p>');
    expect((await show('second')).innerHTML).toBe('<p>second</p>');
  });

  it('loads the emoji table when a message has a shortcode, then shows the emoji', async () => {
    const el = await show('party :tada:');
    await loadEmojiMap();
    for (let i = 0; i < 10 && !el.textContent?.includes('🎉'); i++) await fixture.whenStable();
    expect(el.textContent).toBe('party 🎉');
  });
});
