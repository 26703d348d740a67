import * as vscode from 'vscode';
import type { EventEnvelope, ResponseEnvelope, ViewerEvent, ViewerTab } from '../../core/viewer/protocol';
import type { Logger } from '../../core/logger';
import { RequestEnvelopeSchema } from '../../core/viewer/request_schema';
import { ViewerSession } from '../../core/viewer/viewer_session';
import { messageHtml, viewerHtml, webviewOptions } from './webview_content';

/**
 * Connects one webview to one viewer session over postMessage. Events wait until the webview has sent `ready`
 * (messages posted earlier would be lost); a hidden webview is torn down by VS Code and says `ready` again when
 * shown, restoring its own state with getState/setState.
 */
export interface AttachedViewer extends vscode.Disposable {
  /** Asks the page to open a rollout at a turn, or to show a tab (a panel already showing this file). */
  reveal(target: { entry?: number | null; rollout?: { taskIndex: number; rolloutIndex: number | null } | null; turn?: number | null; tab?: ViewerTab | null }): void;
}

export interface AttachOptions {
  initialEntry?: number | null;
  initialTurn?: number | null;
  initialRollout?: { taskIndex: number; rolloutIndex: number | null } | null;
  initialTab?: ViewerTab | null;
  /** A second rollout file to compare with (the baseline). */
  compareWith?: vscode.Uri | null;
  logger: Logger;
}

/** "Jump to raw line": the JSONL in a text editor beside the viewer, at the rollout's line. */
async function revealLine(path: string, lineNumber: number, logger: Logger): Promise<boolean> {
  try {
    const line = Math.max(0, lineNumber - 1);
    await vscode.window.showTextDocument(vscode.Uri.file(path), { selection: new vscode.Range(line, 0, line, 0), viewColumn: vscode.ViewColumn.Beside, preview: true });
    return true;
  } catch (error) {
    logger.warn(`rollout viewer: could not open ${path} at line ${lineNumber}: ${String(error)}`);
    return false;
  }
}

/** A link in a rollout opens only after the user says so, and only for web and mail addresses. */
async function openLink(url: string): Promise<boolean> {
  let uri: vscode.Uri;
  try {
    uri = vscode.Uri.parse(url, true);
  } catch {
    return false;
  }
  if (!['http', 'https', 'mailto'].includes(uri.scheme)) return false;
  const choice = await vscode.window.showWarningMessage(`Open this link from a rollout?\n${url}`, { modal: true }, 'Open Link');
  return choice === 'Open Link' ? vscode.env.openExternal(uri) : false;
}

export function attachViewer(context: vscode.ExtensionContext, panel: vscode.WebviewPanel, file: vscode.Uri, options: AttachOptions): AttachedViewer {
  const webview = panel.webview;
  const name = file.path.split('/').pop() ?? 'rollouts';
  if (file.scheme !== 'file' || (options.compareWith && options.compareWith.scheme !== 'file')) {
    webview.options = { enableScripts: false };
    webview.html = messageHtml(`The rollout viewer reads files from disk; ${file.toString()} is not a file on disk. Save a copy and open that.`);
    return { reveal: () => {}, dispose: () => {} };
  }
  webview.options = webviewOptions(context);
  const pageTitle = `${name} — Gym Rollouts`;
  webview.html = viewerHtml(context, webview, pageTitle);

  const session = new ViewerSession({
    rolloutsPath: file.fsPath,
    comparePath: options.compareWith?.fsPath ?? null,
    host: 'vscode',
    live: true,
    initialEntry: options.initialEntry ?? null,
    initialTurn: options.initialTurn ?? null,
    initialRollout: options.initialRollout ?? null,
    initialTab: options.initialTab ?? null,
    logger: options.logger,
    revealLine: (path, line) => revealLine(path, line, options.logger),
    openLink,
  });
  let ready = false;
  let queued: ViewerEvent[] = [];
  const post = (message: ResponseEnvelope | EventEnvelope): void => {
    void webview.postMessage(message);
  };
  const send = (event: ViewerEvent): void => {
    if (ready && panel.visible) post({ kind: 'event', event });
    else if (event.type === 'reveal') queued.push(event);
    // Other events need not be replayed: a page that says `ready` again asks for the current state.
  };
  const unsubscribe = session.onEvent(send);

  const onMessage = webview.onDidReceiveMessage(async (message: unknown) => {
    const envelope = RequestEnvelopeSchema.safeParse(message);
    if (!envelope.success) {
      options.logger.warn(`rollout viewer: ignored a malformed message from the webview`);
      return;
    }
    const { id, request } = envelope.data;
    try {
      const result = await session.handle(request);
      post({ kind: 'response', id, ok: true, result });
      if (request.type === 'ready') {
        ready = true;
        const pending = queued;
        queued = [];
        for (const event of pending) post({ kind: 'event', event });
      }
    } catch (error) {
      post({ kind: 'response', id, ok: false, error: error instanceof Error ? error.message : String(error) });
    }
  });
  const onViewState = panel.onDidChangeViewState(() => {
    if (panel.visible) return;
    ready = false;
    // VS Code drops a hidden webview's page and loads its HTML again when it is shown: let that page start from
    // the indexed file (its first rows on screen at once) rather than from asking.
    const boot = session.bootSnapshot();
    if (boot) webview.html = viewerHtml(context, webview, pageTitle, boot);
  });

  return {
    reveal: (target) => send({ type: 'reveal', entry: target.entry ?? null, rollout: target.rollout ?? null, turn: target.turn ?? null, tab: target.tab ?? null }),
    dispose: () => {
      unsubscribe();
      onMessage.dispose();
      onViewState.dispose();
      session.dispose();
    },
  };
}
