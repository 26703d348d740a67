import { pyJsonStringAscii } from '../python/json_dump';
import type { FunctionCall } from '../environments/workplace/verify';
import type { Entities } from './entities';
import type { Prng } from './prng';

export const TASK_CATEGORIES = ['email', 'calendar', 'analytics', 'project_management', 'customer_relationship_manager', 'multi_domain'] as const;
export type TaskCategory = (typeof TASK_CATEGORIES)[number];

/** Whether a task must change something (its ground truth has calls) or needs no action at all. */
export type TaskKind = 'action' | 'no_action';

/**
 * A phrase of the query that must name exactly one entity of the tables (`the last email from Nia about 'X'`),
 * with how many entities it actually names.
 */
export interface Description {
  readonly text: string;
  readonly matches: number;
}

/** A task before it is checked in the sandbox. */
export interface Candidate {
  /** `<domain>.<template>`, e.g. `email.reply_latest_about`. */
  readonly pattern: string;
  readonly category: TaskCategory;
  readonly kind: TaskKind;
  /** The user message. */
  readonly query: string;
  /** Strings of the query a rewrite must keep (names, quoted titles and bodies, dates, numbers). */
  readonly entities: readonly string[];
  /** The ground truth: write calls with their arguments as JSON text, in order. */
  readonly calls: readonly FunctionCall[];
  readonly descriptions: readonly Description[];
}

export interface TemplateContext {
  readonly rng: Prng;
  readonly entities: Entities;
}

/** One task shape, filled from real entities with one of several phrasings. */
export interface Template {
  readonly pattern: string;
  readonly category: TaskCategory;
  /** The kinds it can produce. */
  readonly kinds: readonly TaskKind[];
  /** A candidate of that kind, or null when the sampled entities cannot make one (the generator samples again). */
  build(context: TemplateContext, kind: TaskKind): Candidate | null;
}

/** A ground-truth call with its arguments written as NeMo Gym's rows write them (Python `json.dumps`). */
export function call(name: string, args: Readonly<Record<string, string>>): FunctionCall {
  return { name, arguments: pythonJsonObject(args) };
}

function pythonJsonObject(args: Readonly<Record<string, string>>): string {
  return `{${Object.entries(args)
    .map(([key, value]) => `${pyJsonStringAscii(key)}: ${pyJsonStringAscii(value)}`)
    .join(', ')}}`;
}
