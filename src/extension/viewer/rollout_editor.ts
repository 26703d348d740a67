import * as vscode from 'vscode';
import type { Logger } from '../../core/logger';
import { attachViewer } from './webview_session';

/**
 * The read-only custom editor for rollout files. It does not load the document into a TextDocument: the viewer
 * indexes the file itself (byte offsets, one streaming pass), so files of any size open.
 */
class RolloutDocument implements vscode.CustomDocument {
  constructor(readonly uri: vscode.Uri) {}
  dispose(): void {}
}

export class RolloutEditorProvider implements vscode.CustomReadonlyEditorProvider<RolloutDocument> {
  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly logger: Logger,
  ) {}

  openCustomDocument(uri: vscode.Uri): RolloutDocument {
    return new RolloutDocument(uri);
  }

  resolveCustomEditor(document: RolloutDocument, panel: vscode.WebviewPanel): void {
    const viewer = attachViewer(this.context, panel, document.uri, { logger: this.logger });
    panel.onDidDispose(() => viewer.dispose());
  }
}
