import { isFile } from './sidecars';
import { formatJson } from './json_text';
import type { TaskInput } from './model';
import { readLineText, RolloutIndex } from './rollout_index';

/**
 * The input rows a run was collected from, looked up by task index: `<stem>_materialized_inputs.jsonl` (rows
 * carry `_ng_task_index`) or a task file (line order is the task index). Failed rollouts have no output line, so
 * this is how the failures tab shows what a failed task asked.
 */
const INPUT_ROW_MAX_BYTES = 1024 * 1024;

export class TaskInputs {
  private index: RolloutIndex | null = null;
  private opening: Promise<RolloutIndex | null> | null = null;

  constructor(
    private readonly materializedPath: string,
    private readonly taskFilePath: string | null,
    private readonly signal: AbortSignal,
  ) {}

  async find(taskIndex: number): Promise<TaskInput> {
    const index = await this.open();
    if (!index) return { taskIndex, path: null, lineNumber: null, prompt: null, category: null, json: null, problem: 'No input file: neither materialized inputs beside the rollout file nor a task file given.' };
    await index.appendNewBytes();
    let entry = -1;
    for (let i = 0; i < index.count && entry < 0; i++) if (index.taskIndex(i) === taskIndex) entry = i;
    // A task file has no indices: its n-th row is task n.
    if (entry < 0 && taskIndex < index.count && index.taskIndex(taskIndex) < 0) entry = taskIndex;
    if (entry < 0) return { taskIndex, path: index.path, lineNumber: null, prompt: null, category: null, json: null, problem: `Task ${taskIndex} is not in ${index.path}.` };
    const lineNumber = index.lineNumber(entry);
    if (index.byteLength(entry) > INPUT_ROW_MAX_BYTES) {
      const size = `${(index.byteLength(entry) / 1024 / 1024).toFixed(1)} MB`;
      return { taskIndex, path: index.path, lineNumber, prompt: index.title(entry), category: index.category(entry), json: null, problem: `The row is ${size}, over the 1 MB shown here: open ${index.path} at line ${lineNumber}.` };
    }
    const text = await readLineText(index, entry, INPUT_ROW_MAX_BYTES);
    const formatted = formatJson(text);
    return {
      taskIndex,
      path: index.path,
      lineNumber,
      prompt: index.title(entry),
      category: index.category(entry),
      json: formatted.text,
      problem: formatted.valid ? null : 'The row is not valid JSON.',
    };
  }

  close(): void {
    this.index = null;
  }

  private async open(): Promise<RolloutIndex | null> {
    if (this.index) return this.index;
    this.opening ??= (async () => {
      for (const path of [this.materializedPath, this.taskFilePath]) {
        if (path === null || !(await isFile(path))) continue;
        this.index = await RolloutIndex.open(path, { signal: this.signal });
        return this.index;
      }
      return null;
    })().finally(() => (this.opening = null));
    return this.opening;
  }
}
