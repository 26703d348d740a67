import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { BootSnapshot } from '../../core/viewer/protocol';
import { escapeHtml, renderViewerPage } from '../../core/viewer/viewer_html';

/** The viewer page inside a VS Code webview: the bundle from dist/webview, a nonce, a strict CSP. */

export function webviewRoot(context: vscode.ExtensionContext): vscode.Uri {
  return vscode.Uri.joinPath(context.extensionUri, 'dist', 'webview');
}

export function webviewOptions(context: vscode.ExtensionContext): vscode.WebviewOptions {
  return { enableScripts: true, enableCommandUris: false, localResourceRoots: [webviewRoot(context)] };
}

/** The stylesheet, read once: written into the page, it needs no request through the webview's resource loader. */
let stylesheet: { path: string; text: string | null } | null = null;

function stylesheetText(root: vscode.Uri): string | null {
  const path = vscode.Uri.joinPath(root, 'viewer.css').fsPath;
  if (stylesheet?.path !== path) {
    let text: string | null = null;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      // not readable: the page links it instead
    }
    stylesheet = { path, text };
  }
  return stylesheet.text;
}

export function viewerHtml(context: vscode.ExtensionContext, webview: vscode.Webview, title: string, boot: BootSnapshot | null = null): string {
  const nonce = randomBytes(18).toString('base64');
  const root = webviewRoot(context);
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${webview.cspSource} 'nonce-${nonce}'`,
    `img-src ${webview.cspSource} data:`,
    `font-src ${webview.cspSource}`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  return renderViewerPage({
    nonce,
    scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(root, 'viewer.js')).toString(),
    styleUri: webview.asWebviewUri(vscode.Uri.joinPath(root, 'viewer.css')).toString(),
    contentSecurityPolicy: csp,
    title,
    host: 'vscode',
    inlineStyle: stylesheetText(root),
    boot,
  });
}

/** A page without script, for files the viewer cannot read (e.g. not on a local or remote disk). */
export function messageHtml(message: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'"></head><body><p>${escapeHtml(message)}</p></body></html>`;
}
