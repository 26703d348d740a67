import type { ValidationDetail } from '../http/validation_errors';
import { isJsonObject } from '../../json_object';

export interface GroundTruthCall {
  name: string;
  arguments: string;
  [key: string]: string;
}

export interface VerifyRequest {
  responses_create_params: Record<string, unknown>;
  response: Record<string, unknown> & { output: unknown[] };
  ground_truth: GroundTruthCall[] | string;
  id: number;
  category: string;
  environment_name: string;
}

type Parsed = { ok: true; value: VerifyRequest } | { ok: false; details: ValidationDetail[] };


/**
 * `WorkbenchVerifyRequest` (WORKPLACE_TOOLS.md §7.1): the base verify fields plus `ground_truth`
 * (`list[Dict[str, str]] | str`), `id: int` (lax: `"0"` becomes 0), `category` and `environment_name`.
 */
export function parseVerifyRequest(body: Record<string, unknown>): Parsed {
  const details: ValidationDetail[] = [];
  const missing = (field: string) => details.push({ type: 'missing', loc: ['body', field], msg: 'Field required', input: body });

  const params = body.responses_create_params;
  if (params === undefined) missing('responses_create_params');
  else if (!isJsonObject(params)) details.push(dictType(['body', 'responses_create_params'], params));

  const response = body.response;
  if (response === undefined) missing('response');
  else if (!isJsonObject(response)) details.push(dictType(['body', 'response'], response));
  else if (!Array.isArray(response.output)) {
    details.push(response.output === undefined
      ? { type: 'missing', loc: ['body', 'response', 'output'], msg: 'Field required', input: response }
      : { type: 'list_type', loc: ['body', 'response', 'output'], msg: 'Input should be a valid list', input: response.output });
  }

  const groundTruth = body.ground_truth;
  if (groundTruth === undefined) missing('ground_truth');
  else details.push(...groundTruthErrors(groundTruth));

  const id = laxInt(body.id);
  if (body.id === undefined) missing('id');
  else if (id === null) details.push({ type: 'int_parsing', loc: ['body', 'id'], msg: 'Input should be a valid integer, unable to parse string as an integer', input: body.id });

  for (const field of ['category', 'environment_name'] as const) {
    if (body[field] === undefined) missing(field);
    else if (typeof body[field] !== 'string') details.push({ type: 'string_type', loc: ['body', field], msg: 'Input should be a valid string', input: body[field] });
  }

  if (details.length > 0) return { ok: false, details };
  return {
    ok: true,
    value: {
      responses_create_params: params as Record<string, unknown>,
      response: response as VerifyRequest['response'],
      ground_truth: groundTruth as VerifyRequest['ground_truth'],
      id: id!,
      category: body.category as string,
      environment_name: body.environment_name as string,
    },
  };
}

function dictType(loc: Array<string | number>, input: unknown): ValidationDetail {
  return { type: 'dict_type', loc, msg: 'Input should be a valid dictionary', input };
}

function groundTruthErrors(value: unknown): ValidationDetail[] {
  if (typeof value === 'string') return [];
  if (!Array.isArray(value)) {
    return [
      { type: 'list_type', loc: ['body', 'ground_truth', 'list[dict[str,str]]'], msg: 'Input should be a valid list', input: value },
      { type: 'string_type', loc: ['body', 'ground_truth', 'str'], msg: 'Input should be a valid string', input: value },
    ];
  }
  const errors: ValidationDetail[] = [];
  value.forEach((item, index) => {
    const loc = ['body', 'ground_truth', 'list[dict[str,str]]', index];
    if (!isJsonObject(item)) {
      errors.push(dictType(loc, item));
      return;
    }
    for (const [key, v] of Object.entries(item)) {
      if (typeof v !== 'string') errors.push({ type: 'string_type', loc: [...loc, key], msg: 'Input should be a valid string', input: v });
    }
  });
  if (errors.length > 0) errors.push({ type: 'string_type', loc: ['body', 'ground_truth', 'str'], msg: 'Input should be a valid string', input: value });
  return errors;
}

/** pydantic's lax int: ints, integral floats and strings of an int. */
function laxInt(value: unknown): number | null {
  if (typeof value === 'number') return Number.isInteger(value) ? value : null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value)) return Number(value.trim());
  return null;
}
