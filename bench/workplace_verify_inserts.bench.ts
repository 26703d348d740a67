/**
 * /verify on long insert-only rollouts: N identical calls of one inserting tool (`email_send_email`,
 * `calendar_create_event`, and the other tools that add a row) as the predicted actions, an empty ground truth. Prints how long the replay takes for N = 5,000 / 20,000 / 60,000 and the
 * longest stretch the event loop was blocked meanwhile (a 1 ms interval timer's worst lateness).
 * Run: node scripts/run-bench.mjs bench/workplace_verify_inserts.bench.ts [N ...]
 */
import { availableParallelism, cpus } from 'node:os';
import { createWorkplaceEnvironment, loadWorkplaceTables, type FunctionCall } from '../src/core/environments/workplace';
import { WORKPLACE_TABLES_DIR } from './support/data';

const CALLS: Record<string, FunctionCall> = {
  email_send_email: { name: 'email_send_email', arguments: '{"recipient":"aisha.chen@atlas.com","subject":"s","body":"b"}' },
  calendar_create_event: {
    name: 'calendar_create_event',
    arguments: '{"event_name":"e","participant_email":"aisha.chen@atlas.com","event_start":"2023-12-01 10:00:00","duration":"30"}',
  },
  email_forward_email: { name: 'email_forward_email', arguments: '{"email_id":"00000373","recipient":"aisha.chen@atlas.com"}' },
  project_management_create_task: {
    name: 'project_management_create_task',
    arguments: '{"task_name":"t","assigned_to_email":"leila.azizi@atlas.com","list_name":"Backlog","due_date":"2023-12-01","board":"Design"}',
  },
  customer_relationship_manager_add_customer: {
    name: 'customer_relationship_manager_add_customer',
    arguments: '{"customer_name":"c","assigned_to_email":"aisha.chen@atlas.com","status":"Lead"}',
  },
  analytics_create_plot: {
    name: 'analytics_create_plot',
    arguments: '{"time_min":"2023-10-01","time_max":"2023-11-01","value_to_plot":"total_visits","plot_type":"bar"}',
  },
};

/** Runs `work` while a 1 ms interval timer measures the worst delay the event loop saw. */
async function timed<T>(work: () => Promise<T>): Promise<{ value: T; seconds: number; worstStallMs: number }> {
  let worstStallMs = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    worstStallMs = Math.max(worstStallMs, now - last - 1);
    last = now;
  }, 1);
  const started = performance.now();
  try {
    const value = await work();
    const seconds = (performance.now() - started) / 1000;
    await new Promise((resolve) => setTimeout(resolve, 5));
    return { value, seconds, worstStallMs };
  } finally {
    clearInterval(timer);
  }
}

async function main(): Promise<void> {
  const sizes = process.argv.slice(2).map(Number).filter((n) => Number.isInteger(n) && n > 0);
  const ns = sizes.length > 0 ? sizes : [5_000, 20_000, 60_000];
  const tables = await loadWorkplaceTables(WORKPLACE_TABLES_DIR);
  const env = createWorkplaceEnvironment(tables, { maxSessionStateBytes: null });
  console.log(`cores (os.availableParallelism): ${availableParallelism()}  cpu: ${cpus()[0]?.model ?? 'unknown'}`);
  await env.verify([CALLS.email_send_email as FunctionCall], []); // warm-up
  for (const [tool, call] of Object.entries(CALLS)) {
    for (const n of ns) {
      const predicted = Array.from({ length: n }, () => call);
      const { value, seconds, worstStallMs } = await timed(async () => env.verify(predicted, []));
      console.log(
        `${tool} × ${n.toLocaleString('en-US')}: /verify replay ${seconds.toFixed(3)} s, event loop blocked at most ${worstStallMs.toFixed(0)} ms (reward ${value.reward})`,
      );
    }
  }
}

void main();
