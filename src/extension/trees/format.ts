/** Short human figures for tree labels and the status bar. */

export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return '—';
  const total = Math.round(seconds);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const rest = total % 60;
  if (hours > 0) return `${hours}h ${String(minutes).padStart(2, '0')}m`;
  if (minutes > 0) return `${minutes}m ${String(rest).padStart(2, '0')}s`;
  return `${rest}s`;
}

export function formatReward(reward: number | null): string {
  return reward === null ? '—' : reward.toFixed(2);
}

/** `1, 0, ✗` for a task's rollouts in order. */
export function formatRewards(rewards: readonly (number | null)[]): string {
  return rewards.map((reward) => (reward === null ? '✗' : Number.isInteger(reward) ? String(reward) : reward.toFixed(2))).join(', ');
}

export function basenameOf(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}
