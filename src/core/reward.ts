/** What counts as a pass, and pass@k, declared once for the collector's metrics, the viewer and the editor. */

/** A rollout passes when its reward is 1 (workplace_assistant rewards are 0.0 or 1.0; float noise tolerated). */
export function isPassingReward(reward: number): boolean {
  return reward >= 1 - 1e-9;
}

/**
 * Unbiased pass@k for one task with `n` samples of which `c` pass: 1 − C(n−c, k) / C(n, k), computed as a product
 * so that large n does not overflow (Chen et al. 2021).
 */
export function passAtK(n: number, c: number, k: number): number {
  if (k <= 0 || k > n) throw new RangeError(`pass@k needs 0 < k <= n (k=${k}, n=${n})`);
  if (n - c < k) return 1;
  let allFail = 1;
  for (let i = n - c + 1; i <= n; i++) allFail *= 1 - k / i;
  return 1 - allFail;
}

/** pass^k: the probability that k samples drawn without replacement all pass, C(c, k) / C(n, k). */
export function passHatK(n: number, c: number, k: number): number {
  if (k <= 0 || k > n) throw new RangeError(`pass^k needs 0 < k <= n (k=${k}, n=${n})`);
  if (c < k) return 0;
  let all = 1;
  for (let i = 0; i < k; i++) all *= (c - i) / (n - i);
  return all;
}
