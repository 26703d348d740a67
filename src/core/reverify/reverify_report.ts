import { isPassingReward } from '../reward';
import { describeChange, type RewardChange } from './reverify_rollouts';

/** What a reverification changed, told to a person: flips between pass and fail, and other reward changes. */

export interface FlipCounts {
  /** Passed before, fail now. */
  nowFailing: number;
  /** Failed before, pass now. */
  nowPassing: number;
  /** A different reward on the same side (or a reward that is not a number). */
  other: number;
}

function passes(reward: string): boolean | null {
  const value = Number(reward);
  return reward === 'None' || Number.isNaN(value) ? null : isPassingReward(value);
}

export function flipKind(change: RewardChange): keyof FlipCounts {
  const before = passes(change.oldReward);
  const after = passes(change.newReward);
  if (before === true && after === false) return 'nowFailing';
  if (before === false && after === true) return 'nowPassing';
  return 'other';
}

export function flipCounts(changes: readonly RewardChange[]): FlipCounts {
  const counts: FlipCounts = { nowFailing: 0, nowPassing: 0, other: 0 };
  for (const change of changes) counts[flipKind(change)]++;
  return counts;
}

/** One line for a notification: `3 of 40 rewards changed: 2 now fail, 1 now passes.` */
export function reverifySummary(verified: number, failed: number, changes: readonly RewardChange[]): string {
  const counts = flipCounts(changes);
  const failedText = failed > 0 ? ` ${failed} could not be verified.` : '';
  if (changes.length === 0) return `No reward changed in ${verified} rollout(s).${failedText}`;
  const parts = [counts.nowFailing ? `${counts.nowFailing} now fail` : null, counts.nowPassing ? `${counts.nowPassing} now pass` : null, counts.other ? `${counts.other} other change(s)` : null].filter(Boolean);
  return `${changes.length} of ${verified} reward(s) changed: ${parts.join(', ')}.${failedText}`;
}

export interface ReportFiles {
  rollouts: string;
  inputs: string;
  output: string;
  metrics: string | null;
  failures: string | null;
}

/** A Markdown report of a reverification: the files, the counts, and each changed reward by kind. */
export function reverifyReportMarkdown(files: ReportFiles, result: { total: number; verified: number; failed: number; changes: readonly RewardChange[]; unsafeWarning: string | null }): string {
  const lines = [
    '# Reverification',
    '',
    `- Rollouts: \`${files.rollouts}\``,
    `- Inputs: \`${files.inputs}\``,
    `- Reverified rollouts: \`${files.output}\``,
    ...(files.metrics ? [`- Aggregate metrics: \`${files.metrics}\``] : []),
    ...(result.failed > 0 && files.failures ? [`- Failures: \`${files.failures}\``] : []),
    '',
    reverifySummary(result.verified, result.failed, result.changes),
    '',
  ];
  if (result.unsafeWarning) lines.push(`> ${result.unsafeWarning}`, '');
  const groups: [keyof FlipCounts, string][] = [['nowFailing', 'Passed before, fail now'], ['nowPassing', 'Failed before, pass now'], ['other', 'Other reward changes']];
  for (const [kind, title] of groups) {
    const list = result.changes.filter((change) => flipKind(change) === kind);
    if (list.length === 0) continue;
    lines.push(`## ${title} (${list.length})`, '', ...list.map((change) => `- ${describeChange(change)}`), '');
  }
  return lines.join('\n');
}
