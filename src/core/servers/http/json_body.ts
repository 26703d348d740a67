import { isJsonObject, type JsonObject } from '../../json_object';
import { findExcessiveNesting, nestingMessage } from '../../json_limits';
import { decodeJsonBytes } from '../../python/json_bytes';
import { parsePythonJsonDocument } from '../../python/json_parse';
import { isPyDict, PyException, PyFloat, type PyValue } from '../../python/value';
import { HttpError, type HttpRequestContext } from './http_server';
import { jsonInvalidDetail, missingBodyDetail, notAnObjectDetail, validationBody } from './validation_errors';

const PARSE_ERROR_BODY = '{"detail":"There was an error parsing the body"}';

/**
 * The request body as JSON (or the value an in-process caller handed over); FastAPI's 422 when it is not, or when
 * it nests too deep to be handled safely (checked on the text, before parsing).
 */
export function jsonBody(context: HttpRequestContext): unknown {
  if (context.json !== undefined) return context.json;
  if (context.body.length === 0) throw new HttpError(422, validationBody([missingBodyDetail()]));
  const tooDeep = findExcessiveNesting(context.body);
  if (tooDeep) throw new HttpError(422, validationBody([jsonInvalidDetail(tooDeep.position, nestingMessage(tooDeep))]));
  try {
    return JSON.parse(context.body.toString('utf8'));
  } catch {
    return parseAsPython(context.body);
  }
}

/**
 * What FastAPI makes of a body JSON.parse refused: Starlette decodes it (UTF-8, UTF-16/32, a BOM) and runs Python's
 * `json.loads`. Malformed JSON is a 422 `json_invalid` with Python's message and position (`Expecting value`,
 * `loc: ["body", 6]`); undecodable bytes are a 400; what Python accepts (`NaN`, `Infinity`, UTF-16) is the value.
 */
function parseAsPython(body: Buffer): unknown {
  const text = decodeJsonBytes(body);
  if (text === null) throw new HttpError(400, PARSE_ERROR_BODY);
  let value: PyValue;
  try {
    value = parsePythonJsonDocument(text);
  } catch (error) {
    if (error instanceof PyException && error.type === 'JSONDecodeError') {
      const match = /^(.*): line \d+ column \d+ \(char (\d+)\)$/s.exec(error.message);
      throw new HttpError(422, validationBody([jsonInvalidDetail(Number(match?.[2] ?? 0), match?.[1] ?? error.message)]));
    }
    throw new HttpError(400, PARSE_ERROR_BODY);
  }
  return toJsValue(value);
}

function toJsValue(value: PyValue): unknown {
  if (value instanceof PyFloat) return value.value;
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map(toJsValue);
  if (isPyDict(value)) {
    const object: JsonObject = {};
    for (const [key, member] of value) object[key] = toJsValue(member);
    return object;
  }
  return value;
}

/** A body that must be a JSON object (a pydantic model on the Python side). */
export function jsonObjectBody(context: HttpRequestContext): JsonObject {
  const value = jsonBody(context);
  if (isJsonObject(value)) return value;
  throw new HttpError(422, validationBody([value === null ? missingBodyDetail() : notAnObjectDetail(value)]));
}
