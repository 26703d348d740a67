/**
 * What the viewer knows about workplace_assistant tool calls: which tools change state (the verifier compares
 * only the tables those write to, WORKPLACE_TOOLS.md §7), and which tool outputs report a failure.
 */

/** The write tools: a call is state-changing iff its tool name is one of these. */
export const STATE_CHANGING_TOOLS: ReadonlySet<string> = new Set([
  'email_send_email',
  'email_delete_email',
  'email_forward_email',
  'email_reply_email',
  'calendar_create_event',
  'calendar_delete_event',
  'calendar_update_event',
  'analytics_create_plot',
  'project_management_create_task',
  'project_management_delete_task',
  'project_management_update_task',
  'customer_relationship_manager_add_customer',
  'customer_relationship_manager_update_customer',
  'customer_relationship_manager_delete_customer',
]);

export function isStateChangingTool(name: string): boolean {
  return STATE_CHANGING_TOOLS.has(name);
}

/**
 * Whether a tool output (the raw `{"output": ...}` body, or the agent's `{"error": ...}` for unparsable
 * arguments) reports a failure. The tools answer failures with text, not HTTP statuses, so this looks at the
 * wording they use: "Error ...", "Invalid ...", "... not found." (see the golden tool outputs).
 */
export function isErrorToolOutput(body: string): boolean {
  const head = body.length > 400 ? body.slice(0, 400) : body;
  if (/^\s*\{\s*"(error|detail)"\s*:/.test(head)) return true;
  const match = /^\s*\{\s*"output"\s*:\s*"((?:[^"\\]|\\.)*)"\s*\}\s*$/.exec(head);
  if (!match) return false;
  const text = match[1] ?? '';
  return /^(Error\b|Invalid\b)/.test(text) || /\bnot found\.$/.test(text);
}
