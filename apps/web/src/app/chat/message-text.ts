import { ChangeDetectionStrategy, Component, ElementRef, effect, inject, input, signal } from '@angular/core';
import { Router } from '@angular/router';
import type { EmojiMartData } from '@emoji-mart/data';
import { BROADCAST_MENTION_PATTERN, CHANNEL_MENTION_PATTERN, USER_MENTION_PATTERN } from '@parley/contracts';
import DOMPurify from 'dompurify';
import { Marked, type Tokens } from 'marked';

/** Shortcode (`tada`, `+1`, `thumbsup`) → the emoji itself. */
export type EmojiMap = ReadonlyMap<string, string>;

const LINK_REL = 'noopener noreferrer nofollow';

/** What a message may contain once rendered: chat formatting, nothing that loads, runs or lays out a page. */
const ALLOWED_TAGS = ['p', 'br', 'strong', 'em', 'del', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'a', 'hr', 'span'];
const ALLOWED_ATTR = ['href', 'target', 'rel', 'class', 'start'];
const SAFE_SCHEMES = new Set(['http:', 'https:', 'mailto:']);
/** A code block's language as it may appear in `class="language-…"`. */
const LANGUAGE = /^[\w#+.-]{1,32}$/;
/** A shortcode as typed: `:tada:`, `:+1:`, `:woman-raising-hand:`. */
const SHORTCODE = /^:([a-z0-9_+-]{1,64}):/i;
const HAS_SHORTCODE = /:[a-z0-9_+-]{1,64}:/i;

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Text as the browser would read it inside an attribute: `&#106;avascript:` is `javascript:` there. */
function decodeEntities(text: string): string {
  // A textarea's content is RCDATA: setting it parses character references and nothing else (no tags, no scripts).
  const area = document.createElement('textarea');
  area.innerHTML = text;
  return area.value;
}

/**
 * The href a link may have, or null when it must not be clickable. Only absolute http(s) and
 * mailto URLs pass. The check runs on what the browser would see (entities decoded, the whitespace
 * and control characters it ignores removed) and the link gets the URL's own serialisation, so the
 * string checked is the string used: `jav&#x09;ascript:`, `JaVaScRiPt:`, ` javascript:`, `//evil`,
 * `/relative` and `data:` all fail.
 */
export function safeHref(raw: string): string | null {
  const cleaned = decodeEntities(raw).replace(
    /[\u0000-\u0020\u007f-\u00a0\u1680\u180e\u2000-\u200f\u2028\u2029\u205f\u3000\ufeff]/g,
    '',
  );
  if (!/^(?:https?:\/\/|mailto:)/i.test(cleaned)) return null;
  let url: URL;
  try {
    url = new URL(cleaned);
  } catch {
    return null;
  }
  if (!SAFE_SCHEMES.has(url.protocol)) return null;
  if (url.protocol !== 'mailto:' && !url.hostname) return null;
  return url.href;
}

function anchor(href: string, label: string): string {
  return `<a href="${escapeHtml(href)}" target="_blank" rel="${LINK_REL}">${label}</a>`;
}

/** A Markdown parser for chat: GFM with single newlines kept as line breaks, and a renderer that emits only safe markup. */
function createParser(emoji: EmojiMap | null): Marked {
  const parser = new Marked({ gfm: true, breaks: true });
  parser.use({
    renderer: {
      // Raw HTML in a message is text the person typed, shown as typed (`<b>x</b>` stays `<b>x</b>`).
      html({ text, block }: Tokens.HTML | Tokens.Tag) {
        const escaped = escapeHtml(text);
        return block ? `<p>${escaped.trim().replace(/\n/g, '<br>\n')}</p>` : escaped;
      },
      // The newline stays in the text after the break (where it collapses, so it shows nothing more): a
      // multi-line message's text is then still exactly what was typed, line breaks included.
      br() {
        return '<br>\n';
      },
      // Chat, not documents: a heading is a bold line at the normal size.
      heading({ tokens }: Tokens.Heading) {
        return `<p><strong>${this.parser.parseInline(tokens)}</strong></p>`;
      },
      code({ text, lang }: Tokens.Code) {
        const language = (lang ?? '').match(/^\S*/)?.[0] ?? '';
        const attr = LANGUAGE.test(language) ? ` class="language-${escapeHtml(language)}"` : '';
        return `<pre><code${attr}>${escapeHtml(text)}</code></pre>`;
      },
      link({ href, tokens }: Tokens.Link) {
        const label = this.parser.parseInline(tokens);
        const safe = safeHref(href);
        // A link that may not be followed shows its label as text: nothing to click.
        return safe ? anchor(safe, label) : label;
      },
      // Images are never loaded (no tracking pixels, no surprise content): a link to them at most.
      image({ href, text }: Tokens.Image) {
        const safe = safeHref(href);
        const label = escapeHtml(text || href);
        return safe ? anchor(safe, label) : label;
      },
      // Tables and task lists are not part of chat formatting: shown as the text they were typed as.
      table({ raw }: Tokens.Table) {
        return `<p>${escapeHtml(raw.trim()).replace(/\n/g, '<br>\n')}</p>`;
      },
      checkbox({ checked }: Tokens.Checkbox) {
        return checked ? '[x] ' : '[ ] ';
      },
    },
    extensions: [
      {
        name: 'emoji',
        level: 'inline',
        // An inline rule, so code spans and blocks (tokenised before it sees their text) keep `:tada:` as typed.
        start: (src: string) => src.indexOf(':'),
        tokenizer(src: string) {
          const match = SHORTCODE.exec(src);
          const native = match && emoji?.get(match[1].toLowerCase());
          return native ? { type: 'emoji', raw: match[0], native } : undefined;
        },
        renderer: (token) => escapeHtml(String(token['native'])),
      },
    ],
  });
  return parser;
}

/**
 * The second wall: whatever the renderer above emits goes through DOMPurify with an allow-list of
 * chat tags, only the attributes they need, and only http(s)/mailto URLs. Its own instance, so
 * these hooks do not reach other users of DOMPurify in the app.
 */
const purifier = DOMPurify(window);
purifier.addHook('uponSanitizeAttribute', (node, data) => {
  if (data.attrName === 'class' && !(node.nodeName === 'CODE' && /^language-[\w#+.-]{1,32}$/.test(data.attrValue)))
    data.keepAttr = false;
  if (data.attrName === 'start' && !/^\d{1,9}$/.test(data.attrValue)) data.keepAttr = false;
});
purifier.addHook('afterSanitizeAttributes', (node) => {
  if (node.nodeName !== 'A') return;
  const href = node.getAttribute('href');
  if (!href || !safeHref(href)) node.removeAttribute('href');
  node.setAttribute('target', '_blank');
  node.setAttribute('rel', LINK_REL);
});

/** How a rendered message names the people and channels its tokens stand for, and who reads it. */
export interface MentionContext {
  /** The reader: their own mention chip is highlighted. */
  me(): string | null;
  /** Current names; null for an id that is nobody known ("@unknown", "#unknown"). */
  userName(id: string): string | null;
  channelName(id: string): string | null;
  /** The channel's path in the app (`/w/…/c/…`), null for one not known. */
  channelPath(id: string): string | null;
}

/** `<@id>`, `<#id>`, `@channel`, `@here` (the contract's patterns, in one pass; groups 1, 2, 3). */
const MENTION_TOKEN = new RegExp(`${USER_MENTION_PATTERN.source}|${CHANNEL_MENTION_PATTERN.source}|${BROADCAST_MENTION_PATTERN.source}`, 'giu');

/** One token as DOM: a chip with the current name, or a link to the channel. Built with textContent: a name is never markup. */
function mentionNode([token, userId, channelId, broadcast]: RegExpMatchArray, context: MentionContext | null): Node {
  const chip = document.createElement('span');
  if (broadcast) {
    chip.dataset['mention'] = 'broadcast';
    chip.textContent = `@${broadcast.toLowerCase()}`;
    return chip;
  }
  if (userId) {
    const id = userId.toLowerCase();
    chip.dataset['mention'] = 'user';
    if (id === context?.me()) chip.dataset['me'] = '';
    chip.textContent = `@${context?.userName(id) ?? 'unknown'}`;
    return chip;
  }
  const id = channelId!.toLowerCase();
  const name = context?.channelName(id) ?? null;
  const path = context?.channelPath(id) ?? null;
  // Only an in-app path (`/…`, never `//host` or a scheme) becomes a link.
  if (!name || !path || !/^\/(?!\/)/.test(path)) {
    chip.dataset['mention'] = 'channel';
    chip.textContent = '#unknown';
    chip.title = token;
    return chip;
  }
  // An absolute link like every other in a message (same origin); MessageText opens it in the app.
  const link = document.createElement('a');
  link.href = new URL(path, location.origin).href;
  link.target = '_blank';
  link.rel = LINK_REL;
  link.dataset['mention'] = 'channel';
  link.dataset['channelPath'] = path;
  link.textContent = `#${name}`;
  return link;
}

/**
 * Mention tokens in the sanitised DOM become chips. Done on text nodes, after DOMPurify: the chips
 * are built as elements (nothing parsed), and tokens in code spans and blocks (and link labels)
 * stay as typed.
 */
function renderMentions(root: DocumentFragment, context: MentionContext | null): void {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const found: { node: Text; matches: RegExpExecArray[] }[] = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement?.closest('code, pre, a')) continue;
    // matchAll only (never test/exec): it leaves the shared pattern's lastIndex alone.
    const matches = [...(node.textContent ?? '').matchAll(MENTION_TOKEN)];
    if (matches.length) found.push({ node: node as Text, matches });
  }
  for (const { node, matches } of found) {
    const text = node.textContent ?? '';
    const parts: (Node | string)[] = [];
    let at = 0;
    for (const match of matches) {
      parts.push(text.slice(at, match.index), mentionNode(match, context));
      at = match.index + match[0].length;
    }
    parts.push(text.slice(at));
    node.replaceWith(...parts.filter((part) => part !== ''));
  }
}

const plainParser = createParser(null);
const emojiParsers = new WeakMap<EmojiMap, Marked>();

/** The message's text as safe DOM: Markdown rendered for chat, then sanitised, then mention chips (see renderMentions). */
export function renderMessageText(text: string, emoji: EmojiMap | null = null, mentions: MentionContext | null = null): DocumentFragment {
  let parser = plainParser;
  if (emoji) {
    parser = emojiParsers.get(emoji) ?? createParser(emoji);
    emojiParsers.set(emoji, parser);
  }
  const html = parser.parse(text, { async: false });
  const fragment = purifier.sanitize(html, {
    ALLOWED_TAGS,
    ALLOWED_ATTR,
    // `start` and `target`/`rel` are not URLs; without this DOMPurify would test them against the URL rule below.
    ADD_URI_SAFE_ATTR: ['start', 'target', 'rel'],
    ALLOWED_URI_REGEXP: /^(?:https?|mailto):/i,
    ALLOW_DATA_ATTR: false,
    ALLOW_ARIA_ATTR: false,
    RETURN_DOM_FRAGMENT: true,
  });
  // marked puts a newline between blocks; dropped, so a plain message's text is exactly the message
  // (what tests, copy and screen readers read). Newlines inside a code block are its own and stay.
  for (const container of [fragment, ...Array.from(fragment.querySelectorAll('blockquote, ul, ol'))]) {
    for (const node of Array.from(container.childNodes)) {
      if (node.nodeType === Node.TEXT_NODE && !node.textContent?.trim()) node.remove();
    }
  }
  renderMentions(fragment, mentions);
  return fragment;
}

let emojiMap: Promise<EmojiMap> | null = null;

/**
 * The shortcode table, built once from @emoji-mart/data on first need. The data is large (~430 kB),
 * so it is a lazy chunk: a channel without shortcodes never loads it.
 */
export function loadEmojiMap(): Promise<EmojiMap> {
  emojiMap ??= import('@emoji-mart/data').then((module) => {
    const data = (module as unknown as { default: EmojiMartData }).default;
    const map = new Map<string, string>();
    for (const [id, entry] of Object.entries(data.emojis)) {
      const native = entry.skins[0]?.native;
      if (native) map.set(id, native);
    }
    for (const [alias, id] of Object.entries(data.aliases)) {
      const native = map.get(id);
      if (native && !map.has(alias)) map.set(alias, native);
    }
    return map;
  });
  return emojiMap;
}

/** The emoji table once it has loaded, for renders that need it synchronously. */
let loadedEmoji: EmojiMap | null = null;

/**
 * A message's text, formatted: Markdown for chat (bold, italic, strike, code, quotes, lists, links),
 * `:shortcode:` emoji, and nothing that could run, load or mislead (see renderMessageText). A plain
 * message renders as one paragraph holding exactly its text.
 *
 * The nodes are built here and put in place directly, not through [innerHTML]: DOMPurify's
 * output is the only markup that ever reaches the page, and Angular's sanitiser has nothing to strip.
 */
@Component({
  selector: 'parley-message-text',
  template: '',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: {
    'data-testid': 'message-text',
    class:
      'block min-w-0 break-words [&>*+*]:mt-1 [&_a]:text-brand-600 [&_a]:underline dark:[&_a]:text-brand-300 ' +
      '[&_ul]:list-disc [&_ul]:pl-5 [&_ol]:list-decimal [&_ol]:pl-5 [&_li+li]:mt-0.5 ' +
      '[&_blockquote]:border-l-4 [&_blockquote]:border-line-strong [&_blockquote]:pl-3 [&_blockquote]:text-muted ' +
      '[&_code]:font-mono [&_code]:text-[0.85em] [&_:not(pre)>code]:rounded [&_:not(pre)>code]:bg-surface-muted [&_:not(pre)>code]:px-1 [&_:not(pre)>code]:py-0.5 ' +
      '[&_pre]:overflow-x-auto [&_pre]:rounded-md [&_pre]:border [&_pre]:border-line [&_pre]:bg-surface-muted [&_pre]:px-3 [&_pre]:py-2 [&_pre]:whitespace-pre ' +
      '[&_hr]:my-2 [&_hr]:border-line ' +
      '[&_[data-mention]]:rounded [&_[data-mention]]:bg-brand-50 [&_[data-mention]]:px-0.5 [&_[data-mention]]:font-medium [&_[data-mention]]:text-brand-700 [&_[data-mention]]:no-underline ' +
      'dark:[&_[data-mention]]:bg-brand-900/40 dark:[&_[data-mention]]:text-brand-200 ' +
      '[&_[data-me]]:bg-amber-200 [&_[data-me]]:text-amber-900 [&_[data-mention=broadcast]]:bg-amber-200 [&_[data-mention=broadcast]]:text-amber-900 ' +
      'dark:[&_[data-me]]:bg-amber-700/50 dark:[&_[data-me]]:text-amber-100 dark:[&_[data-mention=broadcast]]:bg-amber-700/50 dark:[&_[data-mention=broadcast]]:text-amber-100',
    '(click)': 'openChannelLink($event)',
  },
})
export class MessageText {
  readonly text = input.required<string>();
  /** Names for the mention tokens (none: "@unknown", "#unknown"). */
  readonly mentions = input<MentionContext | null>(null);
  private readonly router = inject(Router);

  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef).nativeElement;
  private readonly emoji = signal<EmojiMap | null>(loadedEmoji);

  constructor() {
    effect(() => {
      const text = this.text();
      const emoji = this.emoji();
      const mentions = this.mentions();
      if (!emoji && HAS_SHORTCODE.test(text)) void this.loadEmoji();
      // The names are read inside the effect (signals in the context): a rename re-renders the chips.
      this.host.replaceChildren(renderMessageText(text, emoji, mentions));
    });
  }

  /** A channel mention opens the channel here (a new tab still opens with Ctrl/⌘, middle click). */
  protected openChannelLink(event: MouseEvent): void {
    const link = (event.target as Element | null)?.closest<HTMLAnchorElement>('a[data-channel-path]');
    if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    void this.router.navigateByUrl(link.dataset['channelPath']!);
  }

  private async loadEmoji(): Promise<void> {
    try {
      const map = await loadEmojiMap();
      loadedEmoji = map;
      this.emoji.set(map);
    } catch {
      // The chunk did not load (offline, a new deploy): shortcodes stay as typed, and the next message tries again.
      emojiMap = null;
    }
  }
}
