import type { RolloutRow } from './model';
import type { RolloutIndex } from './rollout_index';

/**
 * A rollout index joined with the input rows it was collected from (materialized inputs, or a task file), so that
 * files written without the dataset fields (older NeMo Gym, `WorkbenchVerifyResponse` dropping extras) still show
 * a category, a task id and a ground truth. Rows are matched by `_ng_task_index`, or by line order when the
 * rollouts carry no indices.
 */
export class JoinedRollouts {
  private byTaskIndex: Map<number, number> | null = null;
  private byTaskIndexBuiltFor = -1;

  constructor(
    readonly rollouts: RolloutIndex,
    private input: RolloutIndex | null = null,
  ) {}

  get inputIndex(): RolloutIndex | null {
    return this.input;
  }

  setInput(input: RolloutIndex | null): void {
    this.input = input;
    this.byTaskIndex = null;
    this.byTaskIndexBuiltFor = -1;
  }

  get count(): number {
    return this.rollouts.count;
  }

  /** The input row entry for rollout `i`, or -1. */
  inputEntryFor(i: number): number {
    const input = this.input;
    if (!input || input.count === 0) return -1;
    const taskIndex = this.rollouts.taskIndex(i);
    if (taskIndex >= 0) {
      const map = this.taskIndexMap(input);
      if (map) return map.get(taskIndex) ?? -1;
      return taskIndex < input.count ? taskIndex : -1; // a task file: line order is the task index
    }
    const rollouts = this.rollouts.count;
    const rows = input.count;
    if (rollouts > rows && rollouts % rows === 0) return Math.floor(i / (rollouts / rows)); // repeats, "aabbcc"
    return i < rows ? i : -1;
  }

  /** Materialized inputs carry `_ng_task_index`; a plain task file does not (null then). */
  private taskIndexMap(input: RolloutIndex): Map<number, number> | null {
    if (this.byTaskIndexBuiltFor === input.count) return this.byTaskIndex;
    let map: Map<number, number> | null = null;
    for (let j = 0; j < input.count; j++) {
      const t = input.taskIndex(j);
      if (t < 0) continue;
      map ??= new Map();
      if (!map.has(t)) map.set(t, j);
    }
    this.byTaskIndex = map;
    this.byTaskIndexBuiltFor = input.count;
    return map;
  }

  category(i: number): string | null {
    const own = this.rollouts.category(i);
    if (own !== null) return own;
    const j = this.inputEntryFor(i);
    return j >= 0 ? (this.input as RolloutIndex).category(j) : null;
  }

  categoryOrigin(i: number): 'rollout' | 'input' | 'none' {
    if (this.rollouts.category(i) !== null) return 'rollout';
    return this.category(i) !== null ? 'input' : 'none';
  }

  taskId(i: number): string | null {
    const own = this.rollouts.taskId(i);
    if (own !== null) return own;
    const j = this.inputEntryFor(i);
    return j >= 0 ? (this.input as RolloutIndex).taskId(j) : null;
  }

  title(i: number): string | null {
    const own = this.rollouts.title(i);
    if (own !== null) return own;
    const j = this.inputEntryFor(i);
    return j >= 0 ? (this.input as RolloutIndex).title(j) : null;
  }

  hasGroundTruth(i: number): boolean {
    if (this.rollouts.hasGroundTruth(i)) return true;
    const j = this.inputEntryFor(i);
    return j >= 0 && (this.input as RolloutIndex).hasGroundTruth(j);
  }

  /**
   * What groups repeats of one task: the task index, else the task id, else nothing (each rollout is its own
   * task). Null for lines that are not rollouts.
   */
  taskKey(i: number): string | null {
    if (this.rollouts.broken(i) !== null) return null;
    const taskIndex = this.rollouts.taskIndex(i);
    if (taskIndex >= 0) return `t${taskIndex}`;
    const id = this.taskId(i);
    if (id !== null) return `id:${id}`;
    return `line:${this.rollouts.lineNumber(i)}`;
  }

  /** An error entry: broken line, failed response, or tool calls that reported errors. */
  hasError(i: number): boolean {
    return this.rollouts.broken(i) !== null || this.rollouts.responseError(i) !== null || this.rollouts.toolErrors(i) > 0;
  }

  /** Distinct categories (own or joined), sorted. */
  categories(): string[] {
    const seen = new Set<string>();
    for (let i = 0; i < this.count; i++) {
      const category = this.category(i);
      if (category !== null) seen.add(category);
    }
    return [...seen].sort();
  }

  row(i: number): RolloutRow {
    const index = this.rollouts;
    const base = index.entry(i);
    return {
      entry: i,
      lineNumber: base.lineNumber,
      reward: base.reward,
      taskIndex: base.taskIndex,
      rolloutIndex: base.rolloutIndex,
      taskId: this.taskId(i),
      category: this.category(i),
      title: this.title(i),
      turns: base.turns,
      toolCalls: base.toolCalls,
      stateChangingCalls: base.stateChangingCalls,
      toolErrors: base.toolErrors,
      inputTokens: base.inputTokens,
      outputTokens: base.outputTokens,
      totalTokens: base.totalTokens,
      responseError: base.responseError,
      broken: base.broken,
      hasGroundTruth: this.hasGroundTruth(i),
      hasRewardExplanation: base.hasRewardExplanation,
    };
  }
}
