/** How a tree item looks, decided by the editor-free models and turned into a `vscode.TreeItem` by the adapters. */
import type { CommandId } from '../commands/command_table';

export interface TreeNodeView {
  /** Stable across refreshes, so expansion state survives updates. */
  id: string;
  label: string;
  description?: string;
  tooltip?: string;
  /** A codicon id, optionally with a theme color id. */
  icon?: { id: string; color?: string };
  contextValue?: string;
  collapsible: 'none' | 'collapsed' | 'expanded';
  command?: { id: CommandId | 'vscode.open'; title: string; args: unknown[] };
}
