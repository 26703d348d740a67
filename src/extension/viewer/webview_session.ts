import * as vscode from 'vscode';
import type { EventEnvelope, ResponseEnvelope, ViewerEvent } from '../../core/viewer/protocol';
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
  /** Asks the page to open a rollout (a panel already showing this file). */
  reveal(entry: number): void;
}

export interface AttachOptions {
  initialEntry?: number | null;
  logger: Logger;
}

export function attachViewer(context: vscode.ExtensionContext, panel: vscode.WebviewPanel, file: vscode.Uri, options: AttachOptions): AttachedViewer {
  const webview = panel.webview;
  const name = file.path.split('/').pop() ?? 'rollouts';
  if (file.scheme !== 'file') {
    webview.options = { enableScripts: false };
    webview.html = messageHtml(`The rollout viewer reads files from disk; ${file.toString()} is not a file on disk. Save a copy and open that.`);
    return { reveal: () => {}, dispose: () => {} };
  }
  webview.options = webviewOptions(context);
  webview.html = viewerHtml(context, webview, `${name} — Gym Rollouts`);

  const session = new ViewerSession({ rolloutsPath: file.fsPath, host: 'vscode', live: true, initialEntry: options.initialEntry ?? null, logger: options.logger });
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
    if (!panel.visible) ready = false;
  });

  return {
    reveal: (entry) => send({ type: 'reveal', entry }),
    dispose: () => {
      unsubscribe();
      onMessage.dispose();
      onViewState.dispose();
      session.dispose();
    },
  };
}
