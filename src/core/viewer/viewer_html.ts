/** The viewer page: the same markup in a VS Code webview and in ng_viewer, with the host's URIs and CSP. */
import { bootJson, renderBootPreview } from './boot_preview';
import { escapeHtml } from './html_escape';
import { BOOT_ELEMENT_ID, type BootSnapshot } from './protocol';

export interface ViewerPageOptions {
  /** Per-response random value allowing exactly the bundle's script and stylesheet. */
  nonce: string;
  scriptUri: string;
  styleUri: string;
  contentSecurityPolicy: string;
  title: string;
  host: 'vscode' | 'browser';
  /** The stylesheet's text, written into the page: no request stands between the page and its first paint. */
  inlineStyle?: string | null;
  /** The file is indexed: the page starts with this instead of asking, and shows its first rows at once. */
  boot?: BootSnapshot | null;
}

export { escapeHtml };

/** A small mark for the browser tab (a data URI: nothing else to serve or allow). */
const FAVICON =
  "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E%3Crect width='16' height='16' rx='3' fill='%230078d4'/%3E%3Cpath d='M4 11V5h2v6zm3 0V3h2v8zm3 0V7h2v4z' fill='white'/%3E%3C/svg%3E";

/** A policy in a <meta> tag may not carry frame-ancestors (browsers ignore it there and complain). */
function metaPolicy(policy: string): string {
  return policy
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part !== '' && !part.startsWith('frame-ancestors'))
    .join('; ');
}

/**
 * With the host's first screen in the page, the bundle is fetched and compiled at once (modulepreload) but run only
 * after the first paint: a module that is ready would otherwise run first, and the screen would wait for it. (Or
 * after half a second: a tab opened in the background paints nothing, and its frames do not come.)
 */
function startAfterFirstPaint(nonce: string, src: string): string {
  const inScript = (text: string) => JSON.stringify(text).replace(/</g, '\\u003c');
  return `<link rel="modulepreload" nonce="${escapeHtml(nonce)}" href="${escapeHtml(src)}">
<script nonce="${escapeHtml(nonce)}">{ let started = false; const start = () => { if (started) return; started = true; const s = document.createElement('script'); s.type = 'module'; s.nonce = ${inScript(nonce)}; s.src = ${inScript(src)}; document.head.append(s); }; requestAnimationFrame(() => setTimeout(start)); setTimeout(start, 500); }</script>`;
}

export function renderViewerPage(options: ViewerPageOptions): string {
  const nonce = escapeHtml(options.nonce);
  const style = options.inlineStyle != null
    ? `<style nonce="${nonce}">${options.inlineStyle.replace(/<\/style/gi, '<\\/style')}</style>`
    : `<link rel="stylesheet" nonce="${nonce}" href="${escapeHtml(options.styleUri)}">`;
  const boot = options.boot ?? null;
  return `<!doctype html>
<html lang="en" data-host="${escapeHtml(options.host)}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(metaPolicy(options.contentSecurityPolicy))}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(options.title)}</title>
<link rel="icon" href="${FAVICON}">
${style}
${boot ? startAfterFirstPaint(options.nonce, options.scriptUri) : `<script type="module" nonce="${nonce}" src="${escapeHtml(options.scriptUri)}"></script>`}
</head>
<body>
<div id="app" class="app">${boot ? renderBootPreview(boot) : '<div class="boot">Loading the rollout viewer…</div>'}</div>
${boot ? `<script type="application/json" id="${BOOT_ELEMENT_ID}">${bootJson(boot)}</script>\n` : ''}</body>
</html>
`;
}

/** The browser page's policy: nothing but the nonce'd bundle, same-origin fetches and the event stream. */
export function browserContentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
