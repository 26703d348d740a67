import type { FunctionCall } from '../environments/workplace/verify';
import type { WorkplaceEnvironment } from '../environments/workplace';
import { parsePythonJson } from '../python/json_parse';
import { isPyDict } from '../python/value';
import type { Candidate } from './candidate';
import { ID_ARGUMENTS, type Entities, type IdArgument } from './entities';
import { executeCalls } from './executor';

/** Why a candidate task is not kept. */
export const REJECTION_REASONS = ['unknown_id', 'ambiguous_description', 'tool_error', 'no_change', 'redundant_call', 'duplicate_task'] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

export interface Rejection {
  readonly reason: RejectionReason;
  readonly detail: string;
}

/** An id argument naming no row of the base tables (a placeholder such as `00000000` or an invented id). */
export function findUnknownId(entities: Entities, calls: readonly FunctionCall[]): Rejection | null {
  for (const [index, call] of calls.entries()) {
    let args;
    try {
      args = parsePythonJson(call.arguments);
    } catch {
      continue; // the sandbox run reports it as a tool error
    }
    if (!isPyDict(args)) continue;
    for (const key of ID_ARGUMENTS) {
      const value = args.get(key);
      if (value === undefined) continue;
      const known = entities.ids.get(key as IdArgument);
      if (typeof value !== 'string' || known === undefined || !known.has(value)) {
        return { reason: 'unknown_id', detail: `call ${index + 1} (${call.name}): ${key} ${JSON.stringify(value)} is not in the tables` };
      }
    }
  }
  return null;
}

/**
 * The sandbox checks: every call succeeds; every call changes the state; no call can be removed without changing
 * the verified outcome; and an empty answer does not verify (so the task cannot be solved by doing nothing).
 */
export async function checkInSandbox(environment: WorkplaceEnvironment, calls: readonly FunctionCall[]): Promise<Rejection | null> {
  if (calls.length === 0) return null;
  const executed = await executeCalls(environment, calls);
  const failed = executed.findIndex((call) => call.error !== null);
  if (failed >= 0) return { reason: 'tool_error', detail: `call ${failed + 1} (${calls[failed]!.name}): ${executed[failed]!.error}` };
  for (let i = 0; i < calls.length; i++) {
    const before = await environment.verify(calls.slice(0, i), calls.slice(0, i + 1));
    if (before.reward === 1) return { reason: 'no_change', detail: `call ${i + 1} (${calls[i]!.name}) changes nothing` };
  }
  if (calls.length > 1) {
    for (let i = 0; i < calls.length; i++) {
      const without = await environment.verify([...calls.slice(0, i), ...calls.slice(i + 1)], calls);
      if (without.reward === 1) return { reason: 'redundant_call', detail: `without call ${i + 1} (${calls[i]!.name}) the outcome is the same` };
    }
  }
  const empty = await environment.verify([], calls);
  if (empty.reward === 1) return { reason: 'no_change', detail: 'the calls together change nothing' };
  return null;
}

/** The key two tasks are duplicates under: the same query, or the same non-empty ground truth. */
export function duplicateKeys(candidate: Pick<Candidate, 'query' | 'calls'>): string[] {
  const keys = [`query:${candidate.query.trim().toLowerCase()}`];
  if (candidate.calls.length > 0) keys.push(`calls:${JSON.stringify(candidate.calls.map((c) => [c.name, c.arguments]))}`);
  return keys;
}

/** All checks in order; `seen` holds the keys of the tasks kept so far (and is not changed here). */
export async function rejectCandidate(environment: WorkplaceEnvironment, entities: Entities, candidate: Candidate, seen: ReadonlySet<string>): Promise<Rejection | null> {
  const unknown = findUnknownId(entities, candidate.calls);
  if (unknown) return unknown;
  const ambiguous = candidate.descriptions.find((description) => description.matches !== 1);
  if (ambiguous) return { reason: 'ambiguous_description', detail: `"${ambiguous.text}" names ${ambiguous.matches} entities` };
  const sandbox = await checkInSandbox(environment, candidate.calls);
  if (sandbox) return sandbox;
  const duplicate = duplicateKeys(candidate).find((key) => seen.has(key));
  if (duplicate) return { reason: 'duplicate_task', detail: `same ${duplicate.startsWith('query:') ? 'query' : 'ground truth'} as an earlier task` };
  return null;
}
