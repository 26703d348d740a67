import { collectRollouts } from '../../src/core/collect/collect';
import { silentLogger } from '../../src/core/logger';
import { startTestServers } from './embedded';
import { EXAMPLE_ROLLOUTS_TASKS_PATH, startFakeOpenAIServer, type FakeScript } from './fake_openai';
import { readJsonl } from './jsonl';

/**
 * A rollout file the real collector writes against a local OpenAI-compatible test server, with what the turn
 * timeline has to show, one task each (in this order, one rollout in flight at a time):
 * 0. the first model call fails once (HTTP 500) and is retried by the model server; the model then sends
 *    arguments the resources server refuses (HTTP 422), calls the tool again correctly, and answers;
 * 1. a model that never stops calling tools: the agent stops it at max_steps (6);
 * 2. a tool call, then an answer cut at max_output_tokens.
 */

export const TIMELINE_TOOL = 'company_directory_find_email_address';
export type TimelineCase = 'retried-and-tool-error' | 'max-steps' | 'cut';
const CASES: TimelineCase[] = ['retried-and-tool-error', 'max-steps', 'cut'];
const KEY = 'sk-timeline-fixture-0123456789';

function timelineScript(): FakeScript {
  const taskCase = new Map<string, TimelineCase>();
  return (request) => {
    const text = request.userText ?? '';
    if (!taskCase.has(text)) taskCase.set(text, CASES[taskCase.size] ?? 'cut');
    const n = request.toolOutputCount;
    const call = (args: string) => ({ items: [{ type: 'function_call' as const, name: TIMELINE_TOOL, arguments: args, callId: `call_${n}` }] });
    switch (taskCase.get(text)) {
      case 'retried-and-tool-error':
        if (n === 0) return call('[1, 2]');
        if (n === 1) return call('{"name":"ali"}');
        return { items: [{ type: 'message', text: 'I found **Ali**\'s address.' }] };
      case 'max-steps':
        return call('{"name":"raj"}');
      default:
        if (n === 0) return call('{"name":"sam"}');
        return { items: [{ type: 'message', text: 'The address of Sam is' }], stopReason: 'max_output_tokens' };
    }
  };
}

export interface TimelineRollouts {
  /** Rows in file order (completion order: the tasks' order, one at a time). */
  rows: Record<string, unknown>[];
  /** The entry (0-based line) of each case. */
  entries: Record<TimelineCase, number>;
}

/** Collects the three rollouts into `outputPath` (its sidecars beside it). */
export async function collectTimelineRollouts(outputPath: string): Promise<TimelineRollouts> {
  const fake = await startFakeOpenAIServer({ script: timelineScript(), apiKey: KEY });
  try {
    const servers = await startTestServers({
      configs: ['configs/openai_model.yaml', 'configs/workplace_assistant.yaml'],
      policyBaseUrl: fake.url,
      policyApiKey: KEY,
      policyModelName: 'gpt-4.1-2025-04-14',
      extra: ['++policy_model.responses_api_models.openai_model.max_retries=3'],
    });
    try {
      fake.setFaults({ byRequestIndex: { 0: { kind: 'server_error', retryAfterSeconds: 0.01 } } });
      await collectRollouts(
        { inputJsonlPath: EXAMPLE_ROLLOUTS_TASKS_PATH, outputJsonlPath: outputPath, agentName: 'workplace_assistant_simple_agent', limit: 3, numSamplesInParallel: 1 },
        { headServerUrl: servers.headServerUrl },
        {},
        silentLogger,
      );
    } finally {
      await servers.stop();
    }
  } finally {
    await fake.close();
  }
  const rows = readJsonl(outputPath);
  const entries = Object.fromEntries(CASES.map((c, k) => [c, rows.findIndex((row) => row._ng_task_index === k)])) as Record<TimelineCase, number>;
  return { rows, entries };
}
