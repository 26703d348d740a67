import type * as vscode from 'vscode';
import { GymRolloutsExtension } from './gym_extension';

let extension: GymRolloutsExtension | undefined;

export function activate(context: vscode.ExtensionContext): void {
  extension = new GymRolloutsExtension(context);
}

/** Stops the host cleanly: its collections end resumable, its servers stop, then it exits (or is killed). */
export async function deactivate(): Promise<void> {
  const current = extension;
  extension = undefined;
  await current?.shutdown();
}
