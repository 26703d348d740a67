import { describe, expect, it } from 'vitest';
import { sanitizeToolSchemas } from '../../../src/core/schema/tool_schema_repair.js';
import { validateResponsesCreateParams } from '../../../src/core/schema/responses.js';

const parameters = { type: 'object', properties: { email_id: { type: 'string' } }, required: ['email_id'] };
const clean = { type: 'function', name: 'email_delete_email', description: 'Deletes an email.', parameters, strict: false };

describe('sanitizeToolSchemas', () => {
  it('strips non-standard keys and reports them per tool, so the strict schema accepts the tools', () => {
    const body = {
      input: 'hi',
      tools: [
        { ...clean, database: 'email', operation_type: 'write' },
        { ...clean, name: 'email_search_emails', database: 'email' },
      ],
    };
    expect(validateResponsesCreateParams(body).ok).toBe(false);
    const result = sanitizeToolSchemas(body);
    expect(result.params.tools).toEqual([clean, { ...clean, name: 'email_search_emails' }]);
    expect(result.repairs).toEqual([
      { index: 0, name: 'email_delete_email', removedKeys: ['database', 'operation_type'], reshapedFromChatCompletions: false, addedKeys: [] },
      { index: 1, name: 'email_search_emails', removedKeys: ['database'], reshapedFromChatCompletions: false, addedKeys: [] },
    ]);
    expect(result.notice).toBe(
      'Sanitised tool schemas: removed non-standard keys database (2 tools: email_delete_email, email_search_emails), operation_type (1 tool: email_delete_email).',
    );
    expect(validateResponsesCreateParams(result.params).ok).toBe(true);
  });

  it('flattens Chat-Completions-shaped tools, keeping strict absent as false (the Chat default)', () => {
    const body = { input: 'hi', tools: [{ type: 'function', function: { name: 'f', description: 'd', parameters } }] };
    const result = sanitizeToolSchemas(body);
    expect(result.params.tools).toEqual([{ type: 'function', name: 'f', description: 'd', parameters, strict: false }]);
    expect(result.repairs[0]).toMatchObject({ reshapedFromChatCompletions: true, addedKeys: ['strict'] });
    expect(result.notice).toContain('flattened Chat Completions tools');
    expect(validateResponsesCreateParams(result.params).ok).toBe(true);
  });

  it('adds missing parameters (an empty object schema) and strict (false)', () => {
    const result = sanitizeToolSchemas({ input: 'x', tools: [{ type: 'function', name: 'f' }] });
    expect(result.params.tools).toEqual([{ type: 'function', name: 'f', parameters: { type: 'object', properties: {} }, strict: false }]);
    expect(result.notice).toBe('Sanitised tool schemas: added parameters = an empty object schema (1 tool: f); added strict = false (1 tool: f).');
  });

  it('never mutates its input', () => {
    const tool = { ...clean, database: 'email' };
    const body = { input: 'hi', tools: [tool] };
    const snapshot = structuredClone(body);
    sanitizeToolSchemas(body);
    expect(body).toEqual(snapshot);
  });

  it('returns the same object when nothing needs repair, and leaves hosted tools and odd bodies alone', () => {
    const body = { input: 'hi', tools: [clean, { type: 'web_search', search_context_size: 'low' }] };
    const result = sanitizeToolSchemas(body);
    expect(result.params).toBe(body);
    expect(result.repairs).toEqual([]);
    expect(result.notice).toBeUndefined();
    expect(sanitizeToolSchemas('not an object').params).toBe('not an object');
    expect(sanitizeToolSchemas({ tools: 'x' }).repairs).toEqual([]);
  });

  it('summarises long tool lists', () => {
    const tools = ['a', 'b', 'c', 'd'].map((name) => ({ ...clean, name, database: 'x' }));
    expect(sanitizeToolSchemas({ input: 'x', tools }).notice).toBe('Sanitised tool schemas: removed non-standard keys database (4 tools: a, b, c, …).');
  });
});

describe('one repair for every path', () => {
  it('the sanitized task-file copy (Quick Fix, +sanitize_tool_schemas) and the model server repair tools alike', async () => {
    const { sanitizeTaskLine } = await import('../../../src/core/dataset/sanitize.js');
    const tools = [
      { type: 'function', name: 'no_parameters' },
      { type: 'function', function: { name: 'chat_shaped', parameters } },
      { ...clean, database: 'email' },
      { type: 'web_search' },
    ];
    const params = { input: 'x', tools };
    const fromTaskFile = JSON.parse(sanitizeTaskLine(JSON.stringify({ responses_create_params: params })).text!) as { responses_create_params: { tools: unknown[] } };
    expect(fromTaskFile.responses_create_params.tools).toEqual(sanitizeToolSchemas(params).params.tools);
    expect(validateResponsesCreateParams(fromTaskFile.responses_create_params).ok).toBe(true);
  });
});
