/**
 * NeMo Gym's rollout correlation prefix (`/ng-rollout/<rollout id>/...`, nemo_gym/rollout_correlation.py and
 * base_responses_api_model.py): with `observability_enabled`, its agents and collector call peers under it. Model
 * servers strip it (and the training-token-capture segment) from every path, resources servers from every path when
 * the id is well formed; agents serve it only before `/v1/responses`.
 */
export type RolloutPrefixRule = 'model' | 'resources' | 'agent';

const PATTERNS: Record<RolloutPrefixRule, RegExp> = {
  model: /^\/ng-rollout\/[^/]+(?:\/training-token-capture)?(\/.*)$/,
  resources: /^\/ng-rollout\/[A-Za-z0-9][A-Za-z0-9._-]*(\/.*)$/,
  agent: /^\/ng-rollout\/[^/]+(?:\/training-token-capture)?(\/v1\/responses)$/,
};

/** The path a server routes, the prefix removed where its kind removes it. */
export function stripRolloutPrefix(path: string, rule: RolloutPrefixRule): string {
  if (!path.startsWith('/ng-rollout/')) return path;
  return PATTERNS[rule].exec(path)?.[1] ?? path;
}
