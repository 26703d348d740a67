import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { escapeHtml, renderViewerPage } from '../../core/viewer/viewer_html';

/** The viewer page inside a VS Code webview: the bundle from dist/webview, a nonce, a strict CSP. */

export function webviewRoot(context: vscode.ExtensionContext): vscode.Uri {
  return vscode.Uri.joinPath(context.extensionUri, 'dist', 'webview');
}

export function webviewOptions(context: vscode.ExtensionContext): vscode.WebviewOptions {
  return { enableScripts: true, enableCommandUris: false, localResourceRoots: [webviewRoot(context)] };
}

export function viewerHtml(context: vscode.ExtensionContext, webview: vscode.Webview, title: string): string {
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
  });
}

/** A page without script, for files the viewer cannot read (e.g. not on a local or remote disk). */
export function messageHtml(message: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'"></head><body><p>${escapeHtml(message)}</p></body></html>`;
}
