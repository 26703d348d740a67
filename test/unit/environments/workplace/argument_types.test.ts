/**
 * Every tool with every JSON type in every parameter: whatever the model sends, a tool either returns a value or
 * raises a Python exception (`PyException`), never a JavaScript error.
 */
import { beforeAll, expect, test } from 'vitest';
import type { WorkplaceEnvironment } from '../../../../src/core/environments/workplace';
import { invokeTool } from '../../../../src/core/environments/workplace/invoke';
import { WORKPLACE_TOOLS } from '../../../../src/core/environments/workplace/tools';
import { dumpCompact } from '../../../../src/core/python/json_dump';
import { parsePythonJson } from '../../../../src/core/python/json_parse';
import { PyException, type PyValue } from '../../../../src/core/python/value';
import { workplaceEnvironment } from './shared_data';
import { answeredNow } from '../../../support/answered_now';

const VALUES: PyValue[] = [
  'null',
  'true',
  'false',
  '0',
  '1',
  '-1',
  '2.5',
  '1.0',
  'NaN',
  '100000000000000000000000000',
  '""',
  '" "',
  '"x"',
  '"00000013"',
  '"2023-12-01 10:00:00"',
  '"a@b.com"',
  '"("',
  '[]',
  '[1, "a"]',
  '{}',
  '{"a": [1]}',
].map(parsePythonJson);

let env: WorkplaceEnvironment;
beforeAll(async () => {
  env = await workplaceEnvironment();
});

test('no JavaScript error escapes a tool, for any JSON type in any parameter', () => {
  const escaped: string[] = [];
  let calls = 0;
  for (const tool of WORKPLACE_TOOLS.values()) {
    const session = env.newSession();
    const attempt = (kwargs: Map<string, PyValue>): void => {
      calls++;
      try {
        dumpCompact(answeredNow(invokeTool(session, tool, kwargs)));
      } catch (error) {
        if (!(error instanceof PyException) || error.type === 'InternalError') {
          escaped.push(`${tool.name}(${[...kwargs].map(([k, v]) => `${k}=${JSON.stringify(String(v))}`).join(', ')}): ${String(error)}`);
        }
      }
    };
    for (const value of VALUES) {
      attempt(new Map(tool.parameters.map((name) => [name, value])));
      for (const parameter of tool.parameters) attempt(new Map([[parameter, value]]));
    }
  }
  expect(escaped).toEqual([]);
  expect(calls).toBeGreaterThan(1000);
});
