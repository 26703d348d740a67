/** What the command handlers of every area share: how a command finds its file or run, and small UI helpers. */
import { closeSync, openSync, readSync } from 'node:fs';
import * as vscode from 'vscode';
import type { CommandId } from './command_table';

export type Handler = (...args: unknown[]) => unknown;

/** The handlers of one area of the command table. */
export type Handlers<Id extends CommandId> = Record<Id, Handler>;

/** What a Runs view action receives: a tree node, or the arguments of a tree item's own command. */
export interface RunTarget {
  runId: string;
  taskIndex?: number;
  rolloutIndex?: number;
}

export function runTarget(value: unknown): RunTarget | undefined {
  if (value && typeof value === 'object' && typeof (value as RunTarget).runId === 'string') return value as RunTarget;
  return undefined;
}

/** The `.jsonl` file a command is about: the right-clicked one, else the active editor's (if it is one). */
export function targetFile(argument: unknown): vscode.Uri | undefined {
  if (argument instanceof vscode.Uri) return argument;
  const active = vscode.window.activeTextEditor?.document.uri ?? activeCustomEditorUri();
  return active?.fsPath.endsWith('.jsonl') ? active : undefined;
}

function activeCustomEditorUri(): vscode.Uri | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (input instanceof vscode.TabInputCustom || input instanceof vscode.TabInputText) return input.uri;
  return undefined;
}

export async function pickJsonl(title: string): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({ title, canSelectMany: false, filters: { 'JSON Lines': ['jsonl'] } });
  return picked?.[0];
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The head of a file (enough to tell tasks from rollouts), without reading all of it. */
export function firstLinesOf(path: string): string[] {
  let descriptor: number | undefined;
  try {
    descriptor = openSync(path, 'r');
    const buffer = Buffer.alloc(256 * 1024);
    const bytes = readSync(descriptor, buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytes).toString('utf8').split('\n').slice(0, 5);
  } catch {
    return [];
  } finally {
    if (descriptor !== undefined) closeSync(descriptor);
  }
}

