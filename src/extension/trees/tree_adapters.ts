/** Thin `TreeDataProvider`s over the editor-free tree models. */
import * as vscode from 'vscode';
import type { RunsNode, RunsTreeModel } from './runs_model';
import type { ServersNode, ServersTreeModel } from './servers_model';
import type { TreeNodeView } from './tree_node';

const COLLAPSIBLE: Record<TreeNodeView['collapsible'], vscode.TreeItemCollapsibleState> = {
  none: vscode.TreeItemCollapsibleState.None,
  collapsed: vscode.TreeItemCollapsibleState.Collapsed,
  expanded: vscode.TreeItemCollapsibleState.Expanded,
};

export function toTreeItem(view: TreeNodeView): vscode.TreeItem {
  const item = new vscode.TreeItem(view.label, COLLAPSIBLE[view.collapsible]);
  item.id = view.id;
  item.description = view.description;
  item.tooltip = view.tooltip;
  item.contextValue = view.contextValue;
  if (view.icon) item.iconPath = new vscode.ThemeIcon(view.icon.id, view.icon.color ? new vscode.ThemeColor(view.icon.color) : undefined);
  if (view.command) item.command = { command: view.command.id, title: view.command.title, arguments: view.command.args };
  return item;
}

export class ServersTreeProvider implements vscode.TreeDataProvider<ServersNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ServersNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly model: ServersTreeModel) {}

  refresh(): void {
    this.changed.fire(undefined);
  }

  getTreeItem(node: ServersNode): vscode.TreeItem {
    return toTreeItem(this.model.view(node));
  }

  getChildren(node?: ServersNode): ServersNode[] {
    return node ? this.model.children(node) : this.model.roots();
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export class RunsTreeProvider implements vscode.TreeDataProvider<RunsNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<RunsNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private pending: NodeJS.Timeout | undefined;

  constructor(
    private readonly model: RunsTreeModel,
    /** Asked to read a run's results when one of its nodes is expanded before they are known. */
    private readonly loadResults: (runId: string) => void,
  ) {}

  /** Coalesces bursts of progress into one refresh per 200 ms. */
  refresh(): void {
    this.pending ??= setTimeout(() => {
      this.pending = undefined;
      this.changed.fire(undefined);
    }, 200);
  }

  getTreeItem(node: RunsNode): vscode.TreeItem {
    return toTreeItem(this.model.view(node));
  }

  getChildren(node?: RunsNode): RunsNode[] {
    if (!node) return this.model.roots();
    if (node.kind !== 'message' && this.model.needsResults(node.runId)) this.loadResults(node.runId);
    return this.model.children(node);
  }

  getParent(node: RunsNode): RunsNode | undefined {
    return node.kind === 'run' ? undefined : { kind: 'run', runId: node.runId };
  }

  dispose(): void {
    if (this.pending) clearTimeout(this.pending);
    this.changed.dispose();
  }
}
