/** The verification workload of the benchmarks: 2–5-call rollouts from the WorkBench ground truths, right and wrong. */
import type { FunctionCall } from '../../src/core/environments/workplace';
import { readTaskLines } from './data';

export interface Task {
  ground_truth: FunctionCall[] | string;
}

/** The tasks of a task file (plain or .gz), else the WorkBench tasks. */
export function readTasks(path?: string): Task[] {
  return readTaskLines(path).map((line) => JSON.parse(line) as Task);
}

const READS: FunctionCall[] = [
  { name: 'email_search_emails', arguments: '{"query": "kofi", "page_size": 3}' },
  { name: 'company_directory_find_email_address', arguments: '{"name": "raj"}' },
  { name: 'customer_relationship_manager_search_customers', arguments: '{"status": "Lead", "assigned_to_email": "raj"}' },
  { name: 'calendar_search_events', arguments: '{"query": "sync", "time_min": "2023-11-01 00:00:00"}' },
  { name: 'project_management_search_tasks', arguments: '{"board": "Design", "list_name": "Backlog"}' },
];

/** Correct rollouts, and wrong ones: reversed, last call missing, a changed argument, extra reads, invalid JSON. */
export function rolloutsFrom(tasks: Task[]): Array<{ predicted: FunctionCall[]; groundTruth: FunctionCall[] }> {
  const rollouts: Array<{ predicted: FunctionCall[]; groundTruth: FunctionCall[] }> = [];
  tasks.forEach((task, i) => {
    const truth = task.ground_truth;
    if (typeof truth === 'string' || truth.length < 1 || truth.length > 5) return;
    const read = READS[i % READS.length] as FunctionCall;
    const padded = truth.length === 1 ? [read, ...truth] : truth;
    rollouts.push({ predicted: padded, groundTruth: truth });
    switch (i % 5) {
      case 0:
        rollouts.push({ predicted: [...truth].reverse(), groundTruth: truth });
        break;
      case 1:
        rollouts.push({ predicted: [read, ...truth.slice(0, -1)], groundTruth: truth });
        break;
      case 2:
        rollouts.push({ predicted: truth.map((call) => ({ ...call, arguments: call.arguments.replace(/"([^"]*)"}$/, '"$1x"}') })), groundTruth: truth });
        break;
      case 3:
        rollouts.push({ predicted: [read, ...truth, READS[(i + 1) % READS.length] as FunctionCall], groundTruth: truth });
        break;
      default:
        rollouts.push({ predicted: [{ name: truth[0]?.name ?? 'x', arguments: '{bad' }, ...truth.slice(1)], groundTruth: truth });
    }
  });
  return rollouts.filter((rollout) => rollout.predicted.length >= 2 && rollout.predicted.length <= 5);
}
