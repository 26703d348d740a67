/**
 * The rollout viewer's custom editor types (`package.json` `contributes.customEditors`). Priority is per
 * contribution, so there are two, served by one provider: any `*.jsonl` on request ("Open With…"), and files
 * named like rollout outputs by default. Editor-free, so the manifest can be generated without VS Code.
 */
export const ROLLOUT_VIEWER_TYPE = 'gymRollouts.rolloutViewer';
export const ROLLOUT_FILE_VIEWER_TYPE = 'gymRollouts.rolloutFileViewer';
/** Collection outputs: `rollouts.jsonl`, `<tasks>_rollouts.jsonl` (sidecars end differently). */
export const ROLLOUT_FILE_PATTERNS: readonly string[] = ['*rollouts.jsonl'];
