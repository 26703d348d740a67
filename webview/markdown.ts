import MarkdownIt, { type MarkdownIt as MarkdownItInstance, type Token } from 'markdown-it';
import { h } from './dom';

/**
 * Message text as Markdown, built as DOM nodes from markdown-it's token stream (never an HTML string, never
 * innerHTML): raw HTML is off in the parser, and a token this renderer does not know becomes its text. Links
 * are inert: the page asks its host to open them (VS Code confirms first; ng_viewer has no way to, so it shows
 * the address), and images are not loaded (the CSP would block them anyway); their alt text is shown.
 */

let parser: MarkdownItInstance | null = null;

/** Made on first use: the page's first paint (the list) needs no Markdown. */
function markdownParser(): MarkdownItInstance {
  parser ??= MarkdownIt({ html: false, linkify: true, typographer: false, breaks: true });
  return parser;
}

export interface MarkdownOptions {
  /** Called with the link's address when a link is activated. */
  openLink(url: string): void;
}

/** Elements a block or inline token may open; anything else is rendered as a plain container. */
const TAGS = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'li', 'blockquote', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'strong', 'em', 's']);

type Tag = 'p' | 'h1' | 'h2' | 'h3' | 'h4' | 'h5' | 'h6' | 'ul' | 'ol' | 'li' | 'blockquote' | 'table' | 'thead' | 'tbody' | 'tr' | 'th' | 'td' | 'strong' | 'em' | 's';

function attr(token: Token, name: string): string | null {
  const value = token.attrGet(name);
  return value === null ? null : String(value);
}

function element(token: Token): HTMLElement {
  const tag = TAGS.has(token.tag) ? (token.tag as Tag) : null;
  const created = tag ? h(tag) : h('div');
  if (tag === 'ol') {
    const start = attr(token, 'start');
    if (start !== null && /^\d{1,9}$/.test(start)) created.setAttribute('start', start);
  }
  if (tag === 'th' || tag === 'td') {
    // Alignment only, as a class: the CSP allows no inline styles from data.
    const align = /text-align:(left|right|center)/.exec(attr(token, 'style') ?? '')?.[1];
    if (align) created.classList.add(`align-${align}`);
  }
  return created;
}

function linkElement(token: Token, options: MarkdownOptions): HTMLElement {
  const href = attr(token, 'href') ?? '';
  const link = h('a', { class: 'md-link', title: href, attrs: { role: 'link', tabindex: 0 }, dataset: { href } });
  const activate = (event: Event) => {
    event.preventDefault();
    options.openLink(href);
  };
  link.addEventListener('click', activate);
  link.addEventListener('keydown', (event) => {
    if ((event as KeyboardEvent).key === 'Enter') activate(event);
  });
  return link;
}

function renderInline(tokens: readonly Token[], parent: HTMLElement, options: MarkdownOptions): void {
  const stack: HTMLElement[] = [parent];
  const top = () => stack[stack.length - 1] as HTMLElement;
  for (const token of tokens) {
    switch (token.type) {
      case 'text':
        top().append(token.content);
        break;
      case 'softbreak':
      case 'hardbreak':
        top().append(h('br'));
        break;
      case 'code_inline':
        top().append(h('code', { class: 'md-code' }, token.content));
        break;
      case 'image':
        top().append(h('span', { class: 'md-image', title: attr(token, 'src') ?? '' }, `[image: ${token.content || attr(token, 'src') || ''}]`));
        break;
      case 'link_open': {
        const link = linkElement(token, options);
        top().append(link);
        stack.push(link);
        break;
      }
      default:
        if (token.nesting === 1) {
          const opened = element(token);
          top().append(opened);
          stack.push(opened);
        } else if (token.nesting === -1) {
          if (stack.length > 1) stack.pop();
        } else if (token.content) {
          top().append(token.content);
        }
    }
  }
}

/** The rendered Markdown of `text`, as a fragment of safe elements. */
export function renderMarkdown(text: string, options: MarkdownOptions): DocumentFragment {
  const root = document.createDocumentFragment();
  const holder = h('div');
  const stack: HTMLElement[] = [holder];
  const top = () => stack[stack.length - 1] as HTMLElement;
  for (const token of markdownParser().parse(text, {})) {
    switch (token.type) {
      case 'inline':
        renderInline(token.children ?? [], top(), options);
        break;
      case 'fence':
      case 'code_block':
        top().append(h('pre', { class: 'code md-pre' }, h('code', null, token.content.replace(/\n$/, ''))));
        break;
      case 'hr':
        top().append(h('hr'));
        break;
      case 'html_block':
        top().append(h('p', null, token.content));
        break;
      default:
        if (token.nesting === 1) {
          const opened = element(token);
          top().append(opened);
          stack.push(opened);
        } else if (token.nesting === -1) {
          if (stack.length > 1) stack.pop();
        }
    }
  }
  root.append(...holder.childNodes);
  return root;
}
