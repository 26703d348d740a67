/**
 * The tool route's HTTP layer as NeMo Gym's FastAPI app has it (WORKPLACE_TOOLS.md §2.3), byte for byte:
 *
 * 1. Starlette's `request.json()` is `json.loads(body_bytes)`: the encoding is detected from the first bytes
 *    (UTF-8, a UTF-8 BOM, UTF-16/32 with or without BOM) and decoded with `surrogatepass`. Undecodable bytes, a
 *    nesting deeper than CPython 3.13's C recursion budget and over-long integers are not `JSONDecodeError`s, so
 *    FastAPI answers them with 400 `There was an error parsing the body`; malformed JSON is a 422 `json_invalid`.
 * 2. `WorkbenchRequest` validation: a body that is not an object is a 422 `model_attributes_type` echoing the
 *    input, and a key that is not valid Unicode (a lone surrogate) is a 422 `string_unicode`. NeMo Gym's handler for
 *    these prints them and FastAPI then answers with `jsonable_encoder` + `JSONResponse`, which can itself fail:
 *    `RecursionError` on a deeply nested input, `ValueError` on NaN/Infinity, `UnicodeEncodeError` on a lone
 *    surrogate. NeMo Gym's exception middleware turns those into HTTP 500 with the JSON string `repr(e)`.
 * 3. The tool's output is serialized by pydantic-core (`dumpCompact`); a serialization error is a 500 as well.
 */
import { dumpStarletteJson, dumpToolResponseBody } from '../../python/json_dump';
import { parsePythonJsonDocument } from '../../python/json_parse';
import { pyStrRepr } from '../../python/repr';
import { decodeJsonBytes } from '../../python/json_bytes';
import { LONE_SURROGATE, loneSurrogateRun } from '../../python/utf8';
import { isPyDict, PyException, PyFloat, type PyDict, type PyValue } from '../../python/value';
import { jsonInvalidDetail, missingBodyDetail, validationBody } from '../http/validation_errors';

/** An HTTP answer of the tool route: status and body text. */
export interface ToolRouteAnswer {
  status: number;
  body: string;
}

/**
 * CPython 3.13's json scanner recurses on the C stack: nesting deeper than this raises `RecursionError`
 * (measured: 9998 levels decode, 9999 do not).
 */
export const PYTHON_JSON_MAX_NESTING = 9998;

/**
 * How deep a refused body may be for `jsonable_encoder` to echo it before Python's recursion limit (1000 frames)
 * stops it (one call per container and per leaf on the deepest path); the frames below it (uvicorn, Starlette,
 * FastAPI, NeMo Gym's middleware) use the rest. Measured on NeMo Gym's route and middleware served by uvicorn 0.54
 * with uvloop and httptools (as NeMo Gym runs it), FastAPI 0.142, Starlette 1.7, CPython 3.11: 984 levels are
 * echoed, 985 fail. Starlette's TestClient, with fewer frames below, allows 979. The 3.13 number may differ by the
 * few frames its asyncio adds or saves; it could not be measured here (no FastAPI wheels for 3.13).
 */
export const JSONABLE_ENCODER_MAX_INPUT_DEPTH = 984;

const PARSE_ERROR: ToolRouteAnswer = { status: 400, body: '{"detail":"There was an error parsing the body"}' };

/** NeMo Gym's exception middleware: HTTP 500 with `repr(e)` as a JSON string. */
function internalError(reprText: string): ToolRouteAnswer {
  return { status: 500, body: dumpStarletteJson(reprText) };
}

/** Containers nested deeper than `limit` anywhere in `text` (brackets outside strings); a cheap scan. */
function nestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/** The deepest chain of `jsonable_encoder` calls for a value: one per container, key and leaf on the path. */
function exceedsEncoderDepth(value: PyValue, limit: number): boolean {
  const stack: Array<[PyValue, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop() as [PyValue, number];
    if (depth > limit) return true;
    if (Array.isArray(current)) for (const item of current) stack.push([item, depth + 1]);
    else if (isPyDict(current)) for (const item of current.values()) stack.push([item, depth + 1]);
  }
  return false;
}

/** The first NaN or ±Infinity in serialization order, if any. */
function firstNonFinite(value: PyValue): number | undefined {
  const stack: PyValue[] = [value];
  while (stack.length > 0) {
    const current = stack.pop() as PyValue;
    if (current instanceof PyFloat && !Number.isFinite(current.value)) return current.value;
    const children = Array.isArray(current) ? current : isPyDict(current) ? [...current.values()] : [];
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i] as PyValue);
  }
  return undefined;
}

function pyFloatName(value: number): string {
  return Number.isNaN(value) ? 'nan' : value > 0 ? 'inf' : '-inf';
}

/**
 * FastAPI's 422 for a refused body, rendered by `JSONResponse` (json.dumps with `allow_nan=False`, then UTF-8), with
 * the failures of that rendering as NeMo Gym's middleware reports them.
 */
function validationFailure(type: string, msg: string, input: PyValue): ToolRouteAnswer {
  if (exceedsEncoderDepth(input, JSONABLE_ENCODER_MAX_INPUT_DEPTH)) {
    return internalError("RecursionError('maximum recursion depth exceeded')");
  }
  const nonFinite = firstNonFinite(input);
  if (nonFinite !== undefined) {
    return internalError(`ValueError('Out of range float values are not JSON compliant: ${pyFloatName(nonFinite)}')`);
  }
  const detail: PyDict = new Map<string, PyValue>([
    ['type', type],
    ['loc', ['body']],
    ['msg', msg],
    ['input', input],
  ]);
  const text = dumpStarletteJson(new Map([['detail', [detail]]]));
  const run = loneSurrogateRun(text);
  if (run !== null) {
    return internalError(`UnicodeEncodeError('utf-8', ${pyStrRepr(text)}, ${run.start}, ${run.end}, 'surrogates not allowed')`);
  }
  return { status: 422, body: text };
}

/**
 * Parses a tool-route body the way NeMo Gym's FastAPI app does. Returns the keyword arguments (Python values: ints
 * and floats distinct, dict order kept), or the answer given before any tool runs.
 */
export function parseToolRouteBody(body: Buffer): { args: PyDict } | ToolRouteAnswer {
  if (body.length === 0) return { status: 422, body: validationBody([missingBodyDetail()]) };
  const text = decodeJsonBytes(body);
  if (text === null) return PARSE_ERROR;
  if (text.length > 2 * PYTHON_JSON_MAX_NESTING && nestsDeeperThan(text, PYTHON_JSON_MAX_NESTING)) return PARSE_ERROR;
  let value: PyValue;
  try {
    value = parsePythonJsonDocument(text);
  } catch (error) {
    if (error instanceof PyException && error.type === 'JSONDecodeError') {
      const match = /^(.*): line \d+ column \d+ \(char (\d+)\)$/s.exec(error.message);
      return { status: 422, body: validationBody([jsonInvalidDetail(Number(match?.[2] ?? 0), match?.[1] ?? error.message)]) };
    }
    return PARSE_ERROR;
  }
  if (value === null) return { status: 422, body: validationBody([missingBodyDetail()]) };
  if (!isPyDict(value)) return validationFailure('model_attributes_type', 'Input should be a valid dictionary or object to extract fields from', value);
  for (const key of value.keys()) {
    if (LONE_SURROGATE.test(key)) {
      return validationFailure('string_unicode', 'Input should be a valid string, unable to parse raw data as a unicode string', key);
    }
  }
  return { args: value };
}

/** The answer for a tool's output: `{"output": …}` as FastAPI serializes `WorkbenchResponse(output=…)`. */
export function toolRouteOutputAnswer(output: PyValue): ToolRouteAnswer {
  try {
    return { status: 200, body: dumpToolResponseBody(output) };
  } catch (error) {
    if (error instanceof PyException && error.type === 'PydanticSerializationError') {
      // pydantic-core's exception repr does not quote its message.
      return internalError(`PydanticSerializationError(${error.message})`);
    }
    throw error;
  }
}
