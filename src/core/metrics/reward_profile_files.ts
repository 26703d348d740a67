import { writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { dumpOrjson } from '../python/json_dump';
import type { PyDict } from '../python/value';
import type { ProfileResult } from './reward_profiler';

/** NeMo Gym's `RewardProfiler.write_to_disk` file names, next to the rollouts: `<stem>_reward_profiling.jsonl`, `<stem>_agent_metrics.json`. */
export function rewardProfilePaths(rolloutsPath: string): { rewardProfiling: string; agentMetrics: string } {
  const stem = join(dirname(rolloutsPath), basename(rolloutsPath, extname(rolloutsPath)));
  return { rewardProfiling: `${stem}_reward_profiling.jsonl`, agentMetrics: `${stem}_agent_metrics.json` };
}

/** The two files, as orjson writes them: one compact line per task, and the agents' list on one line without a newline. */
export function rewardProfileTexts(profile: ProfileResult): { rewardProfiling: string; agentMetrics: string } {
  return {
    rewardProfiling: profile.groupLevelMetrics.map((row: PyDict) => `${dumpOrjson(row)}\n`).join(''),
    agentMetrics: dumpOrjson(profile.agentLevelMetrics),
  };
}

export async function writeRewardProfile(profile: ProfileResult, rolloutsPath: string): Promise<{ rewardProfiling: string; agentMetrics: string }> {
  const paths = rewardProfilePaths(rolloutsPath);
  const texts = rewardProfileTexts(profile);
  await writeFile(paths.rewardProfiling, texts.rewardProfiling);
  await writeFile(paths.agentMetrics, texts.agentMetrics);
  return paths;
}
