import type { GeneratedTask, GenerationStats } from './generate';

export interface ParaphraseStats {
  enabled: boolean;
  /** Queries replaced by a rewrite that kept every entity. */
  rewritten: number;
  /** Rewrites dropped because an entity of the original was missing (the original query is kept). */
  paraphrase_rejected: number;
  /** Requests that failed (the original query is kept). */
  failed: number;
}

export interface GenerationReport {
  seed: number;
  num_tasks: number;
  no_action_share: number;
  kept: number;
  no_action_tasks: number;
  candidates_checked: number;
  acceptance_rate: number;
  unfillable_draws: number;
  by_category: Record<string, number>;
  by_pattern: Record<string, number>;
  by_num_calls: Record<string, number>;
  rejections: Record<string, number>;
  rejection_examples: GenerationStats['examples'];
  paraphrase: ParaphraseStats;
}

function countBy(tasks: readonly GeneratedTask[], key: (task: GeneratedTask) => string): Record<string, number> {
  const counts = new Map<string, number>();
  for (const task of tasks) counts.set(key(task), (counts.get(key(task)) ?? 0) + 1);
  return Object.fromEntries([...counts.entries()].sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true })));
}

export function buildReport(options: { seed: number; numTasks: number; noActionShare: number }, tasks: readonly GeneratedTask[], stats: GenerationStats, paraphrase: ParaphraseStats): GenerationReport {
  return {
    seed: options.seed,
    num_tasks: options.numTasks,
    no_action_share: options.noActionShare,
    kept: tasks.length,
    no_action_tasks: tasks.filter((task) => task.candidate.calls.length === 0).length,
    candidates_checked: stats.candidates,
    acceptance_rate: stats.candidates === 0 ? 0 : Math.round((tasks.length / stats.candidates) * 10000) / 10000,
    unfillable_draws: stats.unfillable,
    by_category: countBy(tasks, (task) => `workplace_assistant_${task.candidate.category}`),
    by_pattern: countBy(tasks, (task) => task.candidate.pattern),
    by_num_calls: countBy(tasks, (task) => String(task.candidate.calls.length)),
    rejections: { ...stats.rejections },
    rejection_examples: stats.examples,
    paraphrase,
  };
}

/** The report as the command prints it. */
export function formatReport(report: GenerationReport): string {
  const lines = [
    `kept ${report.kept} of ${report.candidates_checked} candidates (acceptance ${(report.acceptance_rate * 100).toFixed(1)}%), ${report.no_action_tasks} need no action`,
    'by category:',
    ...Object.entries(report.by_category).map(([k, v]) => `  ${k}: ${v}`),
    'by pattern:',
    ...Object.entries(report.by_pattern).map(([k, v]) => `  ${k}: ${v}`),
    `by number of calls: ${Object.entries(report.by_num_calls).map(([k, v]) => `${k}: ${v}`).join(', ')}`,
    `rejections: ${Object.entries(report.rejections).map(([k, v]) => `${k} ${v}`).join(', ')}`,
  ];
  if (report.paraphrase.enabled) {
    lines.push(`paraphrase: ${report.paraphrase.rewritten} rewritten, ${report.paraphrase.paraphrase_rejected} rejected (an entity was lost), ${report.paraphrase.failed} failed`);
  }
  return `${lines.join('\n')}\n`;
}
