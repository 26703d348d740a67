import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliProcess } from './cli';
import { EXAMPLE_TASKS_PATH, oracleScript, seededRandom, startFakeOpenAIServer, type Fault, type FakeScript } from './fake_openai';
import { freePort } from './free_port';
import { WORKPLACE_CSV_DIR } from './paths';

/**
 * A hostile collection: the example tasks repeated into a few hundred rollouts, against the fake OpenAI server
 * with a seeded mix of faults (429, 5xx, dropped connections, hangs, garbage, oversized answers, a burst of 401s),
 * a model that sometimes sends a catastrophic regular expression to a search tool, and the collector killed with
 * SIGKILL several times, each time resumed. Shared by the chaos test and the chaos benchmark.
 */
export interface ChaosOptions {
  /** Repeats of each of the 5 example tasks (rollouts = 5 × repeats). */
  repeats: number;
  /** SIGKILLs of the collector, each after some more rollouts were written. */
  kills: number;
  /** Probability that a model request gets a fault. */
  faultProbability: number;
  parallel: number;
  seed: number;
  /** Some rollouts start with a search for a pathological pattern. */
  pathologicalPatterns: boolean;
  /** Resumes allowed after the kills before giving up (a resume can stop again on the 401 burst). */
  maxResumes?: number;
}

export interface ChaosRun {
  code: number | null;
  killed: boolean;
  seconds: number;
  stderrTail: string;
}

export interface ChaosOutcome {
  runs: ChaosRun[];
  outputPath: string;
  failuresPath: string;
  /** Every line of the output file, parsed (a torn or non-JSON line throws). */
  output: Array<{ _ng_task_index: number; _ng_rollout_index: number; reward?: number }>;
  failures: Array<{ _ng_task_index: number; _ng_rollout_index: number; _ng_failure_class: string; _ng_failure_terminal?: boolean }>;
  expectedKeys: string[];
  modelRequests: number;
  faults: Record<string, number>;
  seconds: number;
}

export const PATHOLOGICAL_PATTERNS = ['^((.)+)+#', '^(([a-z.@])+)+#', '(a|a|aa)+$', '^((.)+)+\\2#', '(\\w+\\s?)+$'];

export async function runChaos(options: ChaosOptions): Promise<ChaosOutcome> {
  const started = performance.now();
  const random = seededRandom(options.seed);
  const faults: Record<string, number> = {};
  const burstStart = 40 + Math.floor(random() * 40);
  const faultPool: Fault[] = [
    { kind: 'rate_limit', retryAfterSeconds: 0.05 },
    { kind: 'server_error' },
    { kind: 'service_unavailable' },
    { kind: 'drop_connection', when: 'before_headers' },
    { kind: 'drop_connection', when: 'mid_body' },
    { kind: 'hang' },
    { kind: 'malformed_json' },
    { kind: 'garbage' },
    { kind: 'oversized', bytes: 3 * 1024 * 1024 },
  ];
  const fake = await startFakeOpenAIServer({
    script: withPathologicalSearches(oracleScript(EXAMPLE_TASKS_PATH), options.pathologicalPatterns),
    recordRequests: 'without_bodies',
    faults: {
      decide: ({ planRequestIndex }) => {
        let fault: Fault | undefined;
        if (planRequestIndex >= burstStart && planRequestIndex < burstStart + 6) fault = { kind: 'unauthorized' };
        else if (random() < options.faultProbability) fault = faultPool[Math.floor(random() * faultPool.length)];
        if (fault) faults[fault.kind] = (faults[fault.kind] ?? 0) + 1;
        return fault;
      },
    },
  });
  const dir = mkdtempSync(join(tmpdir(), 'gym-chaos-'));
  const outputPath = join(dir, 'rollouts.jsonl');
  const failuresPath = join(dir, 'rollouts_failures.jsonl');
  const runs: ChaosRun[] = [];
  const args = async (resume: boolean) => [
    '+config_paths=[configs/openai_model.yaml,configs/workplace_assistant.yaml]',
    `+head_server={host: 127.0.0.1, port: ${await freePort()}}`,
    `+policy_base_url=${fake.url}`,
    '+policy_api_key=${oc.env:CHAOS_KEY}',
    '+policy_model_name=gpt-chaos',
    `+workplace_assistant_data_dir=${WORKPLACE_CSV_DIR}`,
    '++policy_model.responses_api_models.openai_model.request_timeout_seconds=1',
    '++policy_model.responses_api_models.openai_model.max_retries=1',
    '++policy_model.responses_api_models.openai_model.max_answer_mb=1',
    '+agent_name=workplace_assistant_simple_agent',
    `+input_jsonl_fpath=${EXAMPLE_TASKS_PATH}`,
    `+output_jsonl_fpath=${outputPath}`,
    `+num_repeats=${options.repeats}`,
    `+num_samples_in_parallel=${options.parallel}`,
    '+num_repeats_add_seed=true',
    '+max_attempts=2',
    '+rollout_timeout_seconds=20',
    ...(resume ? ['+resume_from_cache=true'] : []),
  ];
  const run = async (resume: boolean, killAfterLines: number | null): Promise<ChaosRun> => {
    const begin = performance.now();
    const collector = new CliProcess('ng_collect_rollouts', await args(resume), { env: { CHAOS_KEY: 'sk-chaos-test-key-0000000' } });
    let killed = false;
    if (killAfterLines !== null) {
      const target = lineCount(outputPath) + killAfterLines;
      while (collector.child.exitCode === null && collector.child.signalCode === null) {
        if (lineCount(outputPath) >= target) {
          collector.child.kill('SIGKILL');
          killed = true;
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
    const result = await collector.wait();
    return { code: result.code, killed, seconds: (performance.now() - begin) / 1000, stderrTail: result.stderr.split('\n').slice(-15).join('\n') };
  };

  try {
    // A run can end by itself before its kill (e.g. stopped by the 401 burst): kill again in the next one.
    for (let attempt = 0; runs.filter((r) => r.killed).length < options.kills && attempt < options.kills * 3; attempt++) {
      runs.push(await run(attempt > 0, 5 + Math.floor(random() * 25)));
    }
    for (let i = 0; i <= (options.maxResumes ?? 6); i++) {
      const last = await run(true, null);
      runs.push(last);
      if (last.code !== 4) break;
    }
  } finally {
    await fake.close();
  }
  const total = 5 * options.repeats;
  return {
    runs,
    outputPath,
    failuresPath,
    output: readLines(outputPath),
    failures: readLines(failuresPath),
    expectedKeys: Array.from({ length: total }, (_, i) => `${Math.floor(i / options.repeats)}:${i % options.repeats}`),
    modelRequests: fake.modelRequests().length,
    faults,
    seconds: (performance.now() - started) / 1000,
  };
}

/** Rollouts whose seed ends in 3 first search the calendar for a catastrophic pattern, then do their task. */
function withPathologicalSearches(script: FakeScript, enabled: boolean): FakeScript {
  if (!enabled) return script;
  return (request) => {
    const seed = seedOf(request.body);
    if (seed === null || seed % 10 !== 3) return script(request);
    if (request.toolOutputCount === 0) {
      const pattern = PATHOLOGICAL_PATTERNS[Math.floor(seed / 10) % PATHOLOGICAL_PATTERNS.length]!;
      const tool = seed % 20 === 3 ? 'company_directory_find_email_address' : 'calendar_search_events';
      const args = tool === 'company_directory_find_email_address' ? { name: pattern } : { query: pattern };
      return { items: [{ type: 'function_call', name: tool, arguments: JSON.stringify(args), callId: 'call_pathological' }] };
    }
    return script({ ...request, toolOutputCount: request.toolOutputCount - 1 });
  };
}

function seedOf(body: Record<string, unknown>): number | null {
  const metadata = body.metadata as { extra_body?: unknown } | undefined;
  if (typeof metadata?.extra_body !== 'string') return null;
  try {
    const seed = (JSON.parse(metadata.extra_body) as { seed?: unknown }).seed;
    return typeof seed === 'number' ? seed : null;
  } catch {
    return null;
  }
}

function lineCount(path: string): number {
  if (!existsSync(path)) return 0;
  const text = readFileSync(path, 'utf8');
  let count = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

function readLines<T>(path: string): T[] {
  if (!existsSync(path)) return [];
  const text = readFileSync(path, 'utf8');
  if (text !== '' && !text.endsWith('\n')) throw new Error(`${path} ends with a torn line`);
  return text.split('\n').filter((line) => line !== '').map((line, index) => {
    try {
      return JSON.parse(line) as T;
    } catch {
      throw new Error(`${path}:${index + 1} is not JSON: ${line.slice(0, 100)}`);
    }
  });
}
