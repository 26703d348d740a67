import { isJsonObject, type JsonObject } from '../../json_object';
import { findExcessiveNesting, nestingMessage } from '../../json_limits';
import { HttpError, type HttpRequestContext } from './http_server';
import { jsonInvalidDetail, missingBodyDetail, notAnObjectDetail, validationBody } from './validation_errors';

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
  } catch (error) {
    throw new HttpError(422, validationBody([jsonInvalidDetail(0, error instanceof Error ? error.message : 'Expecting value')]));
  }
}

/** A body that must be a JSON object (a pydantic model on the Python side). */
export function jsonObjectBody(context: HttpRequestContext): JsonObject {
  const value = jsonBody(context);
  if (isJsonObject(value)) return value;
  throw new HttpError(422, validationBody([value === null ? missingBodyDetail() : notAnObjectDetail(value)]));
}
