/**
 * The Runs view as plain data: one node per collection, then per category, per task (with its rewards), per
 * rollout. Editor-free; `tree_adapters.ts` adapts it to a `TreeDataProvider`.
 */
import { isPassingReward } from '../../core/reward';
import { RUN_CONTEXT } from '../commands/command_table';
import { isOracleAgent, isResumable, runOutcome, type RunOutcome, type RunRecord, type RunTotals } from '../runs/run_record';
import type { RunResults, TaskResults } from '../runs/run_results';
import type { RunStore } from '../runs/run_store';
import { basenameOf, formatDuration, formatReward, formatRewards } from './format';
import type { TreeNodeView } from './tree_node';

export type RunsNode =
  | { kind: 'run'; runId: string }
  | { kind: 'category'; runId: string; category: string }
  | { kind: 'task'; runId: string; taskIndex: number }
  | { kind: 'rollout'; runId: string; taskIndex: number; rolloutIndex: number }
  | { kind: 'message'; runId: string; text: string };

/** Only a run that wrote every rollout gets the green check. */
const OUTCOME_ICON: Record<RunOutcome, { id: string; color?: string }> = {
  running: { id: 'sync~spin' },
  clean: { id: 'pass', color: 'testing.iconPassed' },
  'with-failures': { id: 'warning', color: 'editorWarning.foreground' },
  incomplete: { id: 'debug-pause', color: 'editorWarning.foreground' },
  failed: { id: 'error', color: 'testing.iconFailed' },
};

/**
 * `12/20 · 1 failed · 2 retries · mean 0.80 · 1m 05s · ETA 30s`: the figures the Runs view and the status bar
 * both show, so they cannot disagree.
 */
export function describeTotals(totals: RunTotals | null, running: boolean, options: { timing?: boolean } = {}): string {
  if (!totals) return running ? 'starting…' : 'no progress recorded';
  const parts = [`${totals.done + totals.failed}/${totals.total}`];
  if (totals.failed > 0) parts.push(`${totals.failed} failed`);
  if (totals.retries > 0) parts.push(`${totals.retries} ${totals.retries === 1 ? 'retry' : 'retries'}`);
  parts.push(`mean ${formatReward(totals.meanReward)}`);
  if (options.timing !== false) {
    parts.push(formatDuration(totals.elapsedSeconds));
    if (running && totals.etaSeconds !== null && totals.done + totals.failed < totals.total) parts.push(`ETA ${formatDuration(totals.etaSeconds)}`);
  }
  return parts.join(' · ');
}

/** What produced the rollouts: the model, or the oracle (which replays ground truth and calls no model). */
export function describeModel(record: RunRecord): string {
  if (isOracleAgent(record.agentName)) return 'oracle (no model)';
  return record.modelName ?? 'the deployment’s model';
}

function startTime(record: RunRecord): string {
  const date = new Date(record.startedAt);
  const sameDay = new Date().toDateString() === date.toDateString();
  return sameDay ? date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) : date.toLocaleString([], { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

export class RunsTreeModel {
  private readonly results = new Map<string, RunResults>();
  private readonly loading = new Set<string>();

  constructor(private readonly store: RunStore) {}

  setResults(runId: string, results: RunResults): void {
    this.results.set(runId, results);
    this.loading.delete(runId);
  }

  resultsOf(runId: string): RunResults | undefined {
    return this.results.get(runId);
  }

  /** True when the run's results must be read before its categories can show tasks. */
  needsResults(runId: string): boolean {
    return !this.results.has(runId) && !this.loading.has(runId);
  }

  markLoading(runId: string): void {
    this.loading.add(runId);
  }

  forget(runId: string): void {
    this.results.delete(runId);
    this.loading.delete(runId);
  }

  roots(): RunsNode[] {
    return this.store.all().map((record) => ({ kind: 'run', runId: record.id }));
  }

  children(node: RunsNode): RunsNode[] {
    const record = this.store.get(node.runId);
    if (!record) return [];
    const results = this.results.get(node.runId);
    switch (node.kind) {
      case 'run': {
        const categories = new Set([...(record.totals?.byCategory ?? []).map((category) => category.category), ...(results?.categories() ?? [])]);
        if (categories.size === 0) {
          if (record.error) return [{ kind: 'message', runId: record.id, text: record.error }];
          return [{ kind: 'message', runId: record.id, text: results ? 'no rollouts yet' : 'loading…' }];
        }
        return [...categories].sort().map((category) => ({ kind: 'category', runId: record.id, category }));
      }
      case 'category': {
        if (!results) return [{ kind: 'message', runId: record.id, text: 'loading…' }];
        const tasks = results.tasksInCategory(node.category);
        if (tasks.length === 0) return [{ kind: 'message', runId: record.id, text: 'no rollouts yet' }];
        return tasks.map((task) => ({ kind: 'task', runId: record.id, taskIndex: task.taskIndex }));
      }
      case 'task': {
        const task = results?.allTasks().find((candidate) => candidate.taskIndex === node.taskIndex);
        return (task?.rollouts ?? []).map((rollout) => ({ kind: 'rollout', runId: record.id, taskIndex: node.taskIndex, rolloutIndex: rollout.rolloutIndex }));
      }
      default:
        return [];
    }
  }

  view(node: RunsNode): TreeNodeView {
    const record = this.store.get(node.runId);
    if (!record) return { id: `missing:${node.runId}`, label: 'run removed', collapsible: 'none' };
    switch (node.kind) {
      case 'run':
        return this.runView(record);
      case 'category':
        return this.categoryView(record, node.category);
      case 'task':
        return this.taskView(record, node.taskIndex);
      case 'rollout':
        return this.rolloutView(record, node.taskIndex, node.rolloutIndex);
      case 'message':
        return { id: `${record.id}:message:${node.text}`, label: node.text, collapsible: 'none', icon: { id: 'info' } };
    }
  }

  private runView(record: RunRecord): TreeNodeView {
    const running = record.status === 'running';
    const outcome = runOutcome(record);
    const tokens: string[] = [RUN_CONTEXT.run, record.status];
    if (running) tokens.push(RUN_CONTEXT.running);
    if (!running && isResumable(record)) tokens.push(RUN_CONTEXT.resumable);
    if (!running) tokens.push(RUN_CONTEXT.finished);
    tokens.push(RUN_CONTEXT.hasOutput);
    const status = running ? '' : outcome === 'with-failures' ? 'completed with failures · ' : `${record.status} · `;
    const totals = record.totals;
    const tooltip = [
      `Output: ${record.outputPath}`,
      `Input: ${record.inputPath}`,
      `Agent: ${record.agentName}`,
      `Model: ${describeModel(record)}`,
      record.externalHeadServerUrl ? `Deployment: ${record.externalHeadServerUrl}` : 'Servers: the extension host',
      `Started: ${new Date(record.startedAt).toLocaleString()}`,
      `Status: ${status.replace(/ · $/, '') || 'running'}`,
      `Progress: ${describeTotals(totals, running)}`,
      ...(totals && totals.meanRewardOverAttempted !== null && totals.failed > 0 ? [`Mean reward over all attempted (failures as 0): ${formatReward(totals.meanRewardOverAttempted)}`] : []),
      ...(record.error ? [`${record.status === 'stopped' ? 'Why it stopped' : 'Error'}: ${record.error}`] : []),
    ].join('\n');
    return {
      id: `run:${record.id}`,
      label: basenameOf(record.outputPath),
      // Figures first: they are what changes, and the view is often narrow.
      description: `${status}${describeTotals(totals, running)} · ${record.agentName} · ${describeModel(record)} · ${startTime(record)}`,
      tooltip,
      icon: OUTCOME_ICON[outcome],
      contextValue: tokens.join(' '),
      collapsible: 'collapsed',
    };
  }

  private categoryView(record: RunRecord, category: string): TreeNodeView {
    const totals = record.totals?.byCategory.find((candidate) => candidate.category === category);
    let description: string;
    if (totals) {
      description = `${totals.done + totals.failed}/${totals.total}${totals.failed > 0 ? ` · ${totals.failed} failed` : ''} · mean ${formatReward(totals.meanReward)}`;
    } else {
      const rollouts = this.results.get(record.id)?.tasksInCategory(category).flatMap((task) => task.rollouts) ?? [];
      const rewards = rollouts.map((rollout) => rollout.reward).filter((reward): reward is number => reward !== null);
      const mean = rewards.length > 0 ? rewards.reduce((sum, reward) => sum + reward, 0) / rewards.length : null;
      const failed = rollouts.length - rewards.length;
      description = `${rollouts.length} rollouts${failed > 0 ? ` · ${failed} failed` : ''} · mean ${formatReward(mean)}`;
    }
    return { id: `run:${record.id}:category:${category}`, label: category, description, icon: { id: 'folder' }, collapsible: 'collapsed' };
  }

  private task(record: RunRecord, taskIndex: number): TaskResults | undefined {
    return this.results.get(record.id)?.allTasks().find((task) => task.taskIndex === taskIndex);
  }

  private taskView(record: RunRecord, taskIndex: number): TreeNodeView {
    const task = this.task(record, taskIndex);
    const rewards = task?.rollouts.map((rollout) => rollout.reward) ?? [];
    const failed = rewards.some((reward) => reward === null);
    const allPassed = rewards.length > 0 && rewards.every((reward) => reward !== null && isPassingReward(reward));
    const notRun = rewards.length === 0;
    const icon = notRun
      ? { id: 'circle-large-outline', color: 'disabledForeground' }
      : failed
        ? { id: 'warning', color: 'editorWarning.foreground' }
        : allPassed
          ? { id: 'pass', color: 'testing.iconPassed' }
          : { id: 'close', color: 'testing.iconFailed' };
    const label = task?.taskId !== null && task?.taskId !== undefined ? `task ${taskIndex} (id ${task.taskId})` : `task ${taskIndex}`;
    const outcome = notRun ? (record.status === 'running' ? 'pending' : 'not run') : `rewards ${formatRewards(rewards)}`;
    return {
      id: `run:${record.id}:task:${taskIndex}`,
      label,
      description: task?.title ? `${outcome} · ${task.title}` : outcome,
      ...(task?.title ? { tooltip: `${label}\n${task.title}\n${outcome}` } : {}),
      icon,
      collapsible: notRun ? 'none' : 'collapsed',
    };
  }

  private rolloutView(record: RunRecord, taskIndex: number, rolloutIndex: number): TreeNodeView {
    const rollout = this.task(record, taskIndex)?.rollouts.find((candidate) => candidate.rolloutIndex === rolloutIndex);
    const reward = rollout?.reward ?? null;
    const base = { id: `run:${record.id}:rollout:${taskIndex}:${rolloutIndex}`, label: `rollout ${rolloutIndex}`, collapsible: 'none' as const };
    const retried = (rollout?.attempts ?? 1) > 1 ? ` · ${rollout!.attempts} attempts` : '';
    if (reward === null) {
      return {
        ...base,
        description: `failed (${rollout?.failureClass ?? 'unknown'})${retried}`,
        icon: { id: 'error', color: 'testing.iconFailed' },
        command: { id: 'gymRollouts.revealRunFailures', title: 'Reveal Failures', args: [{ runId: record.id }] },
      };
    }
    return {
      ...base,
      description: `reward ${formatRewards([reward])}${retried}`,
      icon: isPassingReward(reward) ? { id: 'pass', color: 'testing.iconPassed' } : { id: 'close', color: 'testing.iconFailed' },
      contextValue: RUN_CONTEXT.rollout,
      command: { id: 'gymRollouts.openRunInViewer', title: 'Open in Rollout Viewer', args: [{ runId: record.id, taskIndex, rolloutIndex }] },
    };
  }
}
