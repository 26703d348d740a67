/**
 * Validate Dataset in the editor: diagnostics in the Problems panel, each on its line, refreshed when a task
 * file is saved, and a Quick Fix that writes a sanitized copy. A saved file is validated by streaming it from
 * disk (a 50,000-line file never becomes one string); an unsaved one from its text, yielding to the editor.
 */
import * as vscode from 'vscode';
import { SANITIZABLE_CODES, type DatasetProblemCode } from '../../core/dataset/diagnostic';
import { validateTaskFile, validateTaskText, type DatasetDiagnostic } from '../../core/dataset/validate_dataset';
import { jsonlKindOf } from './task_file_kind';

export const DIAGNOSTIC_SOURCE = 'Gym Rollouts';
/** Beyond this many, the Problems panel stops being useful; the count is still reported. */
const MAX_DIAGNOSTICS = 2_000;

const SEVERITY: Record<DatasetDiagnostic['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
};

/** Whether the sanitized copy repairs it (diagnostics reach code actions as copies, so this goes by code). */
export function isFixable(diagnostic: vscode.Diagnostic): boolean {
  return typeof diagnostic.code === 'string' && SANITIZABLE_CODES.has(diagnostic.code as DatasetProblemCode);
}

function toDiagnostic(problem: DatasetDiagnostic): vscode.Diagnostic {
  const line = Math.max(problem.line - 1, 0);
  const diagnostic = new vscode.Diagnostic(new vscode.Range(line, problem.startColumn, line, problem.endColumn), problem.message, SEVERITY[problem.severity]);
  diagnostic.source = DIAGNOSTIC_SOURCE;
  diagnostic.code = problem.code;
  return diagnostic;
}

export interface ValidationSummary {
  errors: number;
  warnings: number;
  information: number;
  shown: number;
}

export class DatasetDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('gymRollouts.dataset');
  private readonly running = new Map<string, AbortController>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly log: (message: string) => void) {
    this.subscriptions.push(
      vscode.workspace.onDidSaveTextDocument((document) => {
        if (this.shouldValidateOnSave(document)) void this.validate(document.uri, document).catch((error: unknown) => this.log(`Validating ${document.uri.fsPath} failed: ${String(error)}`));
      }),
      vscode.workspace.onDidCloseTextDocument((document) => this.running.get(document.uri.toString())?.abort()),
    );
  }

  /** Open `.jsonl` task files, and any file validated before. */
  private shouldValidateOnSave(document: vscode.TextDocument): boolean {
    if (!document.uri.fsPath.endsWith('.jsonl')) return false;
    if (this.collection.has(document.uri)) return true;
    const firstLines = function* () {
      for (let line = 0; line < Math.min(document.lineCount, 20); line += 1) yield document.lineAt(line).text;
    };
    return jsonlKindOf(firstLines()) === 'tasks';
  }

  /** Validates a file (its open document's text when it has unsaved changes) and publishes the diagnostics. */
  async validate(uri: vscode.Uri, document?: vscode.TextDocument): Promise<ValidationSummary> {
    const key = uri.toString();
    this.running.get(key)?.abort();
    const controller = new AbortController();
    this.running.set(key, controller);
    const options = { signal: controller.signal, onYield: () => new Promise<void>((resolve) => setImmediate(resolve)) };
    const open = document ?? vscode.workspace.textDocuments.find((candidate) => candidate.uri.toString() === key);
    try {
      const problems = open?.isDirty || uri.scheme !== 'file' ? await validateTaskText((open ?? (await vscode.workspace.openTextDocument(uri))).getText(), options) : await validateTaskFile(uri.fsPath, options);
      const shown = problems.slice(0, MAX_DIAGNOSTICS).map(toDiagnostic);
      this.collection.set(uri, shown);
      return {
        errors: problems.filter((problem) => problem.severity === 'error').length,
        warnings: problems.filter((problem) => problem.severity === 'warning').length,
        information: problems.filter((problem) => problem.severity === 'information').length,
        shown: shown.length,
      };
    } finally {
      if (this.running.get(key) === controller) this.running.delete(key);
    }
  }

  dispose(): void {
    for (const controller of this.running.values()) controller.abort();
    for (const subscription of this.subscriptions) subscription.dispose();
    this.collection.dispose();
  }
}

/** The Quick Fix: a sanitized copy of the file, offered on every fixable diagnostic. */
export class SanitizeCodeActionProvider implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const fixable = context.diagnostics.filter((diagnostic) => diagnostic.source === DIAGNOSTIC_SOURCE && isFixable(diagnostic));
    if (fixable.length === 0) return [];
    const action = new vscode.CodeAction('Write a sanitized copy of this dataset (tool schemas repaired)', vscode.CodeActionKind.QuickFix);
    action.diagnostics = fixable;
    action.isPreferred = true;
    action.command = { command: 'gymRollouts.writeSanitizedCopy', title: 'Write Sanitized Copy of Dataset', arguments: [document.uri] };
    return [action];
  }
}
