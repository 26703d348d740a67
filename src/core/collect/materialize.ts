import { isJsonObject, type JsonObject } from '../json_object';
import { pyStrRepr } from '../python/repr';
export interface InputRow {
  /** 1-based line in the input file. */
  line: number;
  /** The line exactly as written: NeMo Gym's task index is the index of the distinct raw line. */
  raw: string;
  row: JsonObject;
  /** Precomputed task index (when invalid rows also took indices); otherwise derived here. */
  taskIndex?: number;
}

export interface MaterializedRow extends JsonObject {
  agent_ref: { name: string } & JsonObject;
  responses_create_params: JsonObject;
  _ng_task_index: number;
  _ng_rollout_index: number;
}

/** How many times each row is repeated: one count for all, or per agent name with an optional `_default`. */
export type NumRepeats = number | Readonly<Record<string, number>>;

/** The repeats of a row run by `agent`; null when a per-agent dict has neither its entry nor `_default`. */
export function repeatsFor(numRepeats: NumRepeats, agent: string): number | null {
  if (typeof numRepeats === 'number') return numRepeats;
  if (agent !== '_default' && Object.hasOwn(numRepeats, agent)) return numRepeats[agent]!;
  return Object.hasOwn(numRepeats, '_default') ? numRepeats._default! : null;
}

export interface MaterializeOptions {
  agentName?: string;
  numRepeats: NumRepeats;
  responsesCreateParams: JsonObject;
  /** NeMo Gym ≥ 0.3: the rollout index as `seed` inside `metadata.extra_body` (a JSON string; vLLM honours it). */
  addSeed?: boolean;
}

export class MaterializeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MaterializeError';
  }
}

/**
 * NeMo Gym's row layout (NEMO_GYM_PROTOCOL.md §5.2): `agent_ref` (the row's own wins), the create params
 * shallow-merged with the overrides, the task index of the distinct raw line (or the row's own), and the
 * repeats adjacent ("aabbcc"), with rollout indices continuing across identical lines.
 */
export function materializeRows(rows: InputRow[], options: MaterializeOptions): MaterializedRow[] {
  const missingAgent = rows.filter(({ row }) => !agentNameOf(row) && !options.agentName).map(({ line }) => line);
  if (missingAgent.length > 0) {
    throw new MaterializeError(
      `Rows on lines ${missingAgent.slice(0, 10).join(', ')}${missingAgent.length > 10 ? ', ...' : ''} have no agent_ref.name and no +agent_name was given.`,
    );
  }
  const taskIndexByRaw = new Map<string, number>();
  const nextRolloutIndex = new Map<number, number>();
  const materialized: MaterializedRow[] = [];
  const agentsWithoutRepeats = new Set<string>();
  for (const { raw, row, taskIndex: given } of rows) {
    let taskIndex: number;
    if (typeof row._ng_task_index === 'number') taskIndex = row._ng_task_index;
    else if (given !== undefined) taskIndex = given;
    else {
      taskIndex = taskIndexByRaw.get(raw) ?? taskIndexByRaw.size;
      if (!taskIndexByRaw.has(raw)) taskIndexByRaw.set(raw, taskIndex);
    }
    const agentRef = isJsonObject(row.agent_ref) && typeof row.agent_ref.name === 'string' ? (row.agent_ref as MaterializedRow['agent_ref']) : { name: options.agentName! };
    const repeats = repeatsFor(options.numRepeats, agentRef.name);
    if (repeats === null) {
      agentsWithoutRepeats.add(agentRef.name);
      continue;
    }
    const params = { ...(row.responses_create_params as JsonObject), ...options.responsesCreateParams };
    for (let repeat = 0; repeat < repeats; repeat++) {
      const rolloutIndex = nextRolloutIndex.get(taskIndex) ?? 0;
      nextRolloutIndex.set(taskIndex, rolloutIndex + 1);
      // Repeats share the row's values (nothing downstream mutates them); only the params object is per repeat.
      const repeatParams = { ...params };
      if (options.addSeed) addSeed(repeatParams, rolloutIndex);
      materialized.push({ ...row, agent_ref: agentRef, responses_create_params: repeatParams, _ng_task_index: taskIndex, _ng_rollout_index: rolloutIndex });
    }
  }
  if (agentsWithoutRepeats.size > 0 && typeof options.numRepeats !== 'number') {
    // NeMo Gym's words (rollout_collection.py), with Python's list reprs.
    const listed = Object.keys(options.numRepeats).filter((name) => name !== '_default');
    throw new MaterializeError(
      `num_repeats dict has no entry for agents ${pyNameList([...agentsWithoutRepeats])} and no '_default' fallback. Listed agents: ${pyNameList(listed)}`,
    );
  }
  return materialized;
}

/** Agents a per-agent num_repeats names that no row uses (NeMo Gym warns: a possible typo). */
export function unusedRepeatAgents(numRepeats: NumRepeats, rows: readonly MaterializedRow[]): string[] {
  if (typeof numRepeats === 'number') return [];
  const seen = new Set(rows.map((row) => row.agent_ref.name));
  return Object.keys(numRepeats).filter((name) => name !== '_default' && !seen.has(name)).sort();
}

function pyNameList(names: string[]): string {
  return `[${[...names].sort().map(pyStrRepr).join(', ')}]`;
}

function agentNameOf(row: JsonObject): string | null {
  return isJsonObject(row.agent_ref) && typeof row.agent_ref.name === 'string' ? row.agent_ref.name : null;
}

function addSeed(params: JsonObject, seed: number): void {
  const metadata = isJsonObject(params.metadata) ? { ...params.metadata } : {};
  let extraBody: JsonObject = {};
  if (typeof metadata.extra_body === 'string') {
    try {
      const parsed: unknown = JSON.parse(metadata.extra_body);
      if (isJsonObject(parsed)) extraBody = parsed;
    } catch {
      // a malformed extra_body is replaced
    }
  }
  metadata.extra_body = JSON.stringify({ ...extraBody, seed });
  params.metadata = metadata;
}


export function rolloutKey(taskIndex: number, rolloutIndex: number): string {
  return `${taskIndex}:${rolloutIndex}`;
}
