import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeTaskLine } from '../../../src/core/dataset/row_checks';
import { createWorkplaceEnvironment, loadWorkplaceTables, type FunctionCall, type WorkplaceEnvironment } from '../../../src/core/environments/workplace';
import {
  buildEntities,
  buildReport,
  generateTasks,
  REJECTION_REASONS,
  tasksJsonl,
  type Entities,
  type GenerationResult,
} from '../../../src/core/generate';
import { executeCalls } from '../../../src/core/generate/executor';
import { WORKPLACE_CSV_DIR, WORKPLACE_DATA_DIR } from '../../support/paths';

let environment: WorkplaceEnvironment;
let entities: Entities;
let generated: GenerationResult;
let text: string;

const CATEGORIES = ['email', 'calendar', 'analytics', 'project_management', 'customer_relationship_manager', 'multi_domain'].map((c) => `workplace_assistant_${c}`);

interface Row {
  id: number;
  responses_create_params: { input: Array<{ role: string; content: string }>; tools: unknown[]; parallel_tool_calls: boolean; temperature: number };
  ground_truth: FunctionCall[];
  category: string;
  environment_name: string;
}

beforeAll(async () => {
  environment = createWorkplaceEnvironment(await loadWorkplaceTables(WORKPLACE_CSV_DIR));
  entities = buildEntities(environment.tables);
  generated = await generateTasks(environment, { numTasks: 300, seed: 7 });
  text = tasksJsonl(generated.tasks);
});

describe('ng_generate_tasks core: determinism', () => {
  it('the same seed gives the same bytes; another seed gives other tasks', async () => {
    const again = tasksJsonl((await generateTasks(environment, { numTasks: 300, seed: 7 })).tasks);
    expect(again).toBe(text);
    const other = tasksJsonl((await generateTasks(environment, { numTasks: 300, seed: 8 })).tasks);
    expect(other).not.toBe(text);
  });

  it('the same seed gives the same rejections and statistics', async () => {
    const a = await generateTasks(environment, { numTasks: 50, seed: 3 });
    const b = await generateTasks(environment, { numTasks: 50, seed: 3 });
    expect(a.stats).toEqual(b.stats);
  });
});

describe('ng_generate_tasks core: every kept task', () => {
  it('is a row in NeMo Gym\'s input format, like example.jsonl, byte for byte in its layout', () => {
    const example = JSON.parse(readFileSync(`${WORKPLACE_DATA_DIR}/example.jsonl`, 'utf8').split('\n')[0]!) as Row;
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(300);
    for (const [index, line] of lines.entries()) {
      const row = JSON.parse(line) as Row;
      expect(Object.keys(row)).toEqual(['id', 'responses_create_params', 'ground_truth', 'category', 'environment_name']);
      expect(Object.keys(row.responses_create_params)).toEqual(['input', 'tools', 'parallel_tool_calls', 'temperature']);
      expect(row.id).toBe(index);
      expect(row.responses_create_params.input[0]).toEqual(example.responses_create_params.input[0]);
      expect(row.responses_create_params.input[1]!.role).toBe('user');
      expect(row.responses_create_params.tools).toEqual(example.responses_create_params.tools);
      expect(row.responses_create_params.parallel_tool_calls).toBe(false);
      expect(line).toContain('"parallel_tool_calls": false, "temperature": 1.0}');
      expect(CATEGORIES).toContain(row.category);
      expect(row.environment_name).toBe('workplace_assistant');
      for (const call of row.ground_truth) {
        expect(Object.keys(call)).toEqual(['name', 'arguments']);
        expect(typeof call.arguments).toBe('string');
        expect(call.arguments).toMatch(/^\{"[a-z_]+": /); // Python json.dumps layout, as example.jsonl
      }
    }
    // The tools portion is the example's text exactly.
    const exampleTools = readFileSync(`${WORKPLACE_DATA_DIR}/example.jsonl`, 'utf8').split('"tools": ')[1]!.split(', "parallel_tool_calls"')[0];
    expect(lines[0]!.split('"tools": ')[1]!.split(', "parallel_tool_calls"')[0]).toBe(exampleTools);
  });

  it('validates with the dataset checks (task-record schema, Responses create params, ground truth)', () => {
    for (const [index, line] of text.trimEnd().split('\n').entries()) {
      const analysis = analyzeTaskLine(line, index + 1);
      expect(analysis.record).not.toBeNull();
      expect(analysis.diagnostics).toEqual([]);
    }
  });

  it('runs in a fresh sandbox session with no tool error, verifies to 1.0 against itself, and an empty answer scores 0', async () => {
    let withCalls = 0;
    for (const task of generated.tasks) {
      const calls = task.candidate.calls;
      const executed = await executeCalls(environment, calls);
      expect(executed.filter((call) => call.error !== null)).toEqual([]);
      expect((await environment.verify(calls, calls)).reward).toBe(1);
      if (calls.length > 0) {
        withCalls += 1;
        expect((await environment.verify([], calls)).reward).toBe(0);
        // Every call is needed: leaving any one out changes the verified outcome.
        for (let i = 0; i < calls.length; i++) expect((await environment.verify(calls.filter((_, j) => j !== i), calls)).reward).toBe(0);
      }
    }
    expect(withCalls).toBeGreaterThan(200);
  });

  it('names only ids that exist in the tables, and no two tasks share a query or a ground truth', () => {
    const queries = new Set<string>();
    const truths = new Set<string>();
    for (const task of generated.tasks) {
      for (const call of task.candidate.calls) {
        const args = JSON.parse(call.arguments) as Record<string, string>;
        for (const key of ['email_id', 'event_id', 'task_id', 'customer_id'] as const) {
          if (key in args) expect(entities.ids.get(key)!.has(args[key]!)).toBe(true);
        }
      }
      expect(queries.has(task.candidate.query)).toBe(false);
      queries.add(task.candidate.query);
      if (task.candidate.calls.length > 0) {
        const key = JSON.stringify(task.candidate.calls);
        expect(truths.has(key)).toBe(false);
        truths.add(key);
      }
    }
  });

  it('covers every category, several patterns each, multi-call tasks, and the no-action share asked for', () => {
    const report = buildReport({ seed: 7, numTasks: 300, noActionShare: 0.15 }, generated.tasks, generated.stats, { enabled: false, rewritten: 0, paraphrase_rejected: 0, failed: 0 });
    expect(Object.keys(report.by_category).sort()).toEqual([...CATEGORIES].sort());
    expect(Object.keys(report.by_pattern).length).toBeGreaterThanOrEqual(25);
    expect(report.no_action_tasks).toBe(45);
    expect(report.by_num_calls['0']).toBe(45);
    expect(Object.keys(report.by_num_calls).some((count) => Number(count) >= 2)).toBe(true);
    expect(Object.keys(report.rejections)).toEqual([...REJECTION_REASONS]);
    expect(report.kept).toBe(300);
    expect(report.candidates_checked).toBe(300 + Object.values(report.rejections).reduce((a, b) => a + b, 0));
  });

  it('takes the no-action share from the options', async () => {
    const none = await generateTasks(environment, { numTasks: 40, seed: 2, noActionShare: 0 });
    expect(none.tasks.every((task) => task.candidate.calls.length > 0)).toBe(true);
    const half = await generateTasks(environment, { numTasks: 40, seed: 2, noActionShare: 0.5 });
    expect(half.tasks.filter((task) => task.candidate.calls.length === 0)).toHaveLength(20);
  });
});
