import { describe, expect, it } from 'vitest';
import { SANITIZABLE_CODES } from '../../../src/core/dataset/diagnostic';
import { validateTaskFile, validateTaskText, type DatasetDiagnostic } from '../../../src/core/dataset/validate_dataset';
import { EXAMPLE_TASKS_PATH } from '../../support/fake_openai/shared_data';
import { jsonl, validRow, validTool, withParams } from './rows';

function codes(diagnostics: DatasetDiagnostic[]): string[] {
  return diagnostics.map((diagnostic) => `${diagnostic.line}:${diagnostic.code}`);
}

describe('validateTaskText', () => {
  it('finds nothing wrong in valid rows', async () => {
    expect(await validateTaskText(jsonl(validRow({ id: 0 }), validRow({ id: 1, category: 'x' })))).toEqual([]);
  });

  it('reports invalid JSON at the position the parser stopped', async () => {
    const broken = '{"id": 1, "responses_create_params": {"input": "hi"},, }';
    const [diagnostic] = await validateTaskText(jsonl(validRow(), broken));
    expect(diagnostic).toMatchObject({ line: 2, code: 'invalid-json', severity: 'error', field: null });
    expect(diagnostic!.startColumn).toBe(broken.indexOf(',,') + 1);
    expect(diagnostic!.message).toMatch(/^invalid JSON: /);
  });

  it('reports a truncated line at its end', async () => {
    const truncated = JSON.stringify(validRow()).slice(0, 40);
    const [diagnostic] = await validateTaskText(jsonl(truncated));
    expect(diagnostic).toMatchObject({ code: 'invalid-json', startColumn: truncated.length - 1 });
  });

  it('reports a line that is not an object', async () => {
    expect(codes(await validateTaskText(jsonl('[1, 2]')))).toEqual(['1:not-an-object']);
  });

  it('names the field of an input-schema violation and underlines its value', async () => {
    const row = JSON.stringify(withParams({ input: 5 }));
    const [diagnostic] = await validateTaskText(jsonl(row));
    expect(diagnostic).toMatchObject({
      code: 'input-schema',
      field: 'responses_create_params.input',
      message: 'responses_create_params.input: expected a string or a list of input items',
    });
    expect(row.slice(diagnostic!.startColumn, diagnostic!.endColumn)).toBe('5');
  });

  it('reports unknown create-params keys that make endpoints answer 422', async () => {
    const diagnostics = await validateTaskText(jsonl(withParams({ seed: 3 })));
    expect(diagnostics).toEqual([expect.objectContaining({ code: 'input-schema', field: 'responses_create_params.seed', message: expect.stringMatching(/Extra inputs are not permitted/) })]);
  });

  it('requires responses_create_params', async () => {
    const { responses_create_params: _omit, ...row } = validRow();
    const diagnostics = await validateTaskText(jsonl(row));
    expect(diagnostics).toEqual([expect.objectContaining({ code: 'input-schema', field: 'responses_create_params' })]);
  });

  it('reports each non-standard tool key at the key, once, and as fixable', async () => {
    const row = JSON.stringify(withParams({ tools: [validTool('email_send_email'), { ...validTool('calendar_create_event'), database: 'calendar', operation_type: 'write' }] }));
    const diagnostics = await validateTaskText(jsonl(row));
    expect(diagnostics.map((diagnostic) => diagnostic.field)).toEqual(['responses_create_params.tools[1].database', 'responses_create_params.tools[1].operation_type']);
    expect(diagnostics.every((diagnostic) => diagnostic.code === 'nonstandard-tool-key' && diagnostic.fixable)).toBe(true);
    expect(row.slice(diagnostics[0]!.startColumn, diagnostics[0]!.endColumn)).toBe('"database"');
    expect(diagnostics[0]!.message).toContain('tool "calendar_create_event"');
  });

  it('reports Chat-shaped and incomplete tools', async () => {
    const { type: _type, ...inner } = validTool('email_send_email');
    const { strict: _strict, ...noStrict } = validTool('calendar_create_event');
    const diagnostics = await validateTaskText(jsonl(withParams({ tools: [{ type: 'function', function: inner }, noStrict] })));
    expect(codes(diagnostics)).toEqual(['1:chat-shaped-tool', '1:missing-tool-key']);
    expect(diagnostics[1]!.message).toContain('lacks "strict"');
  });

  it('reports ground-truth calls to unknown tools and with arguments that are not JSON objects', async () => {
    const row = validRow({
      ground_truth: [
        { name: 'email_send_email', arguments: '{"recipient": "a@b.c"}' },
        { name: 'email_teleport', arguments: '{}' },
        { name: 'calendar_create_event', arguments: '{"event_name": ' },
        { name: 'calendar_delete_event', arguments: '[1]' },
      ],
    });
    const diagnostics = await validateTaskText(jsonl(row));
    expect(diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.field])).toEqual([
      ['unknown-tool', 'ground_truth[1].name'],
      ['invalid-arguments', 'ground_truth[2].arguments'],
      ['invalid-arguments', 'ground_truth[3].arguments'],
    ]);
    expect(diagnostics[1]!.message).toMatch(/not valid JSON/);
    expect(diagnostics[2]!.message).toMatch(/must be a JSON object/);
  });

  it("accepts ground-truth calls to the row's own tools and to the 27 workplace tools", async () => {
    const row = withParams(
      { tools: [validTool('my_custom_tool')] },
      { ground_truth: [{ name: 'my_custom_tool', arguments: '{}' }, { name: 'customer_relationship_manager_search_customers', arguments: '{}' }] },
    );
    expect(await validateTaskText(jsonl(row))).toEqual([]);
  });

  it('rejects ground-truth arguments given as an object (the verifier answers 422)', async () => {
    const diagnostics = await validateTaskText(jsonl(validRow({ ground_truth: [{ name: 'email_send_email', arguments: { recipient: 'a' } }] })));
    expect(diagnostics).toEqual([expect.objectContaining({ code: 'input-schema', severity: 'error', field: 'ground_truth[0].arguments' })]);
  });

  it('accepts a string ground truth ("no changes expected") and warns when there is none', async () => {
    const { ground_truth: _omit, ...withoutGroundTruth } = validRow();
    const diagnostics = await validateTaskText(jsonl(validRow({ ground_truth: 'no changes' }), { ...withoutGroundTruth, id: 9 }));
    expect(codes(diagnostics)).toEqual(['2:missing-ground-truth']);
  });

  it('reports duplicate ids on the later line, naming the first', async () => {
    const diagnostics = await validateTaskText(jsonl(validRow({ id: 7 }), validRow({ id: 8 }), validRow({ id: 7, category: 'other' })));
    expect(diagnostics).toEqual([expect.objectContaining({ line: 3, code: 'duplicate-id', field: 'id', message: expect.stringContaining('line 1') })]);
  });

  it('notes byte-identical lines instead of calling them duplicate ids', async () => {
    const diagnostics = await validateTaskText(jsonl(validRow(), validRow()));
    expect(diagnostics).toEqual([expect.objectContaining({ line: 2, code: 'duplicate-line', severity: 'information' })]);
  });

  it('warns about blank lines inside the file but not about a trailing newline', async () => {
    const text = `${JSON.stringify(validRow({ id: 1 }))}\n\n${JSON.stringify(validRow({ id: 2 }))}\n`;
    expect(codes(await validateTaskText(text))).toEqual(['2:blank-line']);
  });

  it('keeps checking the other lines after a broken one', async () => {
    const diagnostics = await validateTaskText(jsonl('{', validRow({ id: 1 }), withParams({ input: 5 }, { id: 2 })));
    expect(codes(diagnostics)).toEqual(['1:invalid-json', '3:input-schema']);
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(validateTaskText(jsonl(validRow()), { signal: controller.signal })).rejects.toThrow();
  });
});

describe('validateTaskFile', () => {
  it("finds no errors in NeMo Gym's example tasks", async () => {
    const diagnostics = await validateTaskFile(EXAMPLE_TASKS_PATH);
    expect(diagnostics.filter((diagnostic) => diagnostic.severity === 'error')).toEqual([]);
  });
});

describe('fixable diagnostics', () => {
  it('are exactly those whose code a sanitized copy repairs', async () => {
    const { strict: _strict, ...noStrict } = validTool('a');
    const text = jsonl(withParams({ tools: [{ ...validTool('b'), database: 'x' }, noStrict, { type: 'function', function: validTool('c') }] }), '', withParams({ input: 5 }, { id: 3 }), '{');
    const diagnostics = await validateTaskText(`${text}\n`.replace('\n\n', '\n \n'));
    expect(diagnostics.length).toBeGreaterThan(4);
    for (const diagnostic of diagnostics) expect(diagnostic.fixable).toBe(SANITIZABLE_CODES.has(diagnostic.code));
  });
});
