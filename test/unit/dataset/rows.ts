/** Task rows for dataset tests: small, valid by default, and easy to break one field at a time. */
export function validTool(name = 'email_send_email'): Record<string, unknown> {
  return {
    type: 'function',
    name,
    description: 'Sends an email.',
    parameters: { type: 'object', properties: { recipient: { type: 'string' } }, required: [], additionalProperties: false },
    strict: false,
  };
}

export function validRow(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 0,
    responses_create_params: {
      input: [
        { role: 'system', content: "Today's date is Thursday, 2023-11-30." },
        { role: 'user', content: 'Email carlos.' },
      ],
      tools: [validTool()],
      parallel_tool_calls: false,
      temperature: 1,
    },
    ground_truth: [{ name: 'email_send_email', arguments: '{"recipient": "carlos@atlas.com"}' }],
    category: 'workplace_assistant_email',
    environment_name: 'workplace_assistant',
    ...overrides,
  };
}

export function withParams(params: Record<string, unknown>, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const row = validRow(overrides);
  return { ...row, responses_create_params: { ...(row.responses_create_params as object), ...params } };
}

export function jsonl(...rows: unknown[]): string {
  return rows.map((row) => (typeof row === 'string' ? row : JSON.stringify(row))).join('\n') + '\n';
}
