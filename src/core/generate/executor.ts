import type { FunctionCall } from '../environments/workplace/verify';
import type { WorkplaceEnvironment } from '../environments/workplace';
import { parsePythonJson } from '../python/json_parse';
import { pyRepr } from '../python/repr';
import { isPyDict, type PyValue } from '../python/value';

/** What one ground-truth call answered in the sandbox. */
export interface ExecutedCall {
  readonly call: FunctionCall;
  readonly output: PyValue;
  /** Why the output is a failure, or null when the tool did what it was asked. */
  readonly error: string | null;
}

const SUCCESS_MESSAGES: ReadonlyMap<string, string> = new Map([
  ['email_send_email', 'Email sent successfully.'],
  ['email_delete_email', 'Email deleted successfully.'],
  ['email_forward_email', 'Email forwarded successfully.'],
  ['email_reply_email', 'Email replied successfully.'],
  ['calendar_delete_event', 'Event deleted successfully.'],
  ['calendar_update_event', 'Event updated successfully.'],
  ['project_management_delete_task', 'Task deleted successfully.'],
  ['project_management_update_task', 'Task updated successfully.'],
  ['customer_relationship_manager_update_customer', 'Customer updated successfully.'],
  ['customer_relationship_manager_delete_customer', 'Customer deleted successfully.'],
]);

/** Tools that answer the id of the row they added. */
const RETURNS_NEW_ID = new Set(['calendar_create_event', 'project_management_create_task', 'customer_relationship_manager_add_customer']);

/**
 * Whether a tool's output reports a failure. The tools answer failures as text (`Email not found.`,
 * `Invalid event ID format...`, `Error executing tool ...`), so each write tool's success answer is known exactly and
 * anything else is an error. Read-only tools fail when they say so.
 */
export function toolOutputError(name: string, output: PyValue): string | null {
  const text = typeof output === 'string' ? output : null;
  const expected = SUCCESS_MESSAGES.get(name);
  if (expected !== undefined) return text === expected ? null : describe(output);
  if (RETURNS_NEW_ID.has(name)) return text !== null && /^\d{8}$/.test(text) ? null : describe(output);
  if (name === 'analytics_create_plot') return text !== null && text.startsWith('plots/') ? null : describe(output);
  if (text !== null && /^(Error|Invalid)|not (found|provided|valid)\.?$/.test(text)) return describe(output);
  return null;
}

function describe(output: PyValue): string {
  return typeof output === 'string' ? output : pyRepr(output);
}

/**
 * Runs the calls in order in a fresh session, through the tool route the resources server answers `POST /<tool>`
 * with (same tools, same argument handling), and reports each call's output.
 */
export async function executeCalls(environment: WorkplaceEnvironment, calls: readonly FunctionCall[]): Promise<ExecutedCall[]> {
  const session = environment.newSession();
  const executed: ExecutedCall[] = [];
  for (const call of calls) {
    let body: PyValue;
    try {
      body = parsePythonJson(call.arguments);
    } catch (error) {
      executed.push({ call, output: null, error: `arguments are not JSON: ${(error as Error).message}` });
      continue;
    }
    if (!isPyDict(body)) {
      executed.push({ call, output: null, error: 'arguments are not a JSON object' });
      continue;
    }
    const output = await environment.callToolRoute(session, call.name, body);
    executed.push({ call, output, error: toolOutputError(call.name, output) });
  }
  return executed;
}
