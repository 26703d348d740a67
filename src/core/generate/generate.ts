import type { WorkplaceEnvironment } from '../environments/workplace';
import { TASK_CATEGORIES, type Candidate, type TaskCategory, type TaskKind, type Template } from './candidate';
import { buildEntities, type Entities } from './entities';
import { Prng } from './prng';
import { REJECTION_REASONS, duplicateKeys, rejectCandidate, type Rejection, type RejectionReason } from './rejection';
import { CATEGORY_WEIGHTS, TEMPLATES } from './templates';

export const DEFAULT_NO_ACTION_SHARE = 0.15;

export interface GenerateOptions {
  numTasks: number;
  seed: number;
  /** Share of tasks whose correct answer changes nothing (empty ground truth); WorkBench has about one in six. */
  noActionShare?: number;
  /** Candidates tried for one task before giving up (default 1,000). */
  maxAttemptsPerTask?: number;
  /** Only these categories (default: all six). */
  categories?: readonly TaskCategory[];
}

export interface GeneratedTask {
  readonly id: number;
  readonly candidate: Candidate;
}

export interface RejectionExample {
  readonly pattern: string;
  readonly query: string;
  readonly detail: string;
}

export interface GenerationStats {
  /** Candidates built and checked (kept + rejected). */
  candidates: number;
  /** Template draws whose sampled entities could not make a task of the wanted kind (sampled again). */
  unfillable: number;
  rejections: Record<RejectionReason, number>;
  /** The first rejected candidate of each reason. */
  examples: Partial<Record<RejectionReason, RejectionExample>>;
}

export interface GenerationResult {
  tasks: GeneratedTask[];
  stats: GenerationStats;
}

export class GenerationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GenerationError';
  }
}

/** The kind of each task slot: exactly round(n × share) no-action slots, in a seeded order. */
function slotKinds(rng: Prng, numTasks: number, share: number): TaskKind[] {
  const noAction = Math.round(numTasks * share);
  const kinds: TaskKind[] = Array.from({ length: numTasks }, (_, i) => (i < noAction ? 'no_action' : 'action'));
  return rng.shuffle(kinds);
}

function templatesFor(kind: TaskKind, categories: readonly TaskCategory[]): Array<readonly [TaskCategory, readonly Template[], number]> {
  const choices: Array<readonly [TaskCategory, readonly Template[], number]> = [];
  for (const [category, weight] of CATEGORY_WEIGHTS) {
    if (!categories.includes(category)) continue;
    const templates = (TEMPLATES.get(category) ?? []).filter((template) => template.kinds.includes(kind));
    if (templates.length > 0) choices.push([category, templates, weight]);
  }
  return choices;
}

/**
 * Generates `numTasks` tasks for a seed, deterministically and without a model: each slot draws a category (in
 * WorkBench's proportions) and a template, fills it from the tables' real entities, and keeps it only if every
 * check passes (rejection.ts); otherwise it draws again.
 */
export async function generateTasks(environment: WorkplaceEnvironment, options: GenerateOptions, onTask?: (kept: number) => void): Promise<GenerationResult> {
  const share = options.noActionShare ?? DEFAULT_NO_ACTION_SHARE;
  const maxAttempts = options.maxAttemptsPerTask ?? 1000;
  const categories = options.categories ?? TASK_CATEGORIES;
  const rng = new Prng(options.seed);
  const entities: Entities = buildEntities(environment.tables);
  const context = { rng, entities };
  const stats: GenerationStats = { candidates: 0, unfillable: 0, rejections: Object.fromEntries(REJECTION_REASONS.map((r) => [r, 0])) as Record<RejectionReason, number>, examples: {} };
  const seen = new Set<string>();
  const tasks: GeneratedTask[] = [];
  const choicesByKind = new Map<TaskKind, ReturnType<typeof templatesFor>>([
    ['action', templatesFor('action', categories)],
    ['no_action', templatesFor('no_action', categories)],
  ]);
  for (const kind of slotKinds(rng, options.numTasks, share)) {
    const choices = choicesByKind.get(kind) ?? [];
    if (choices.length === 0) throw new GenerationError(`no template of the chosen categories makes ${kind === 'no_action' ? 'no-action' : 'action'} tasks`);
    let kept: Candidate | null = null;
    for (let attempt = 0; attempt < maxAttempts && kept === null; attempt++) {
      const [, templates] = rng.weighted(choices.map((choice) => [choice, choice[2]] as const));
      const candidate = rng.pick(templates).build(context, kind);
      if (candidate === null) {
        stats.unfillable += 1;
        continue;
      }
      stats.candidates += 1;
      const rejection: Rejection | null = await rejectCandidate(environment, entities, candidate, seen);
      if (rejection === null) {
        kept = candidate;
        break;
      }
      stats.rejections[rejection.reason] += 1;
      stats.examples[rejection.reason] ??= { pattern: candidate.pattern, query: candidate.query, detail: rejection.detail };
    }
    if (kept === null) throw new GenerationError(`no acceptable task after ${maxAttempts} candidates for task ${tasks.length}; the tables have run out of distinct tasks (ask for fewer)`);
    for (const key of duplicateKeys(kept)) seen.add(key);
    tasks.push({ id: tasks.length, candidate: kept });
    onTask?.(tasks.length);
  }
  return { tasks, stats };
}
