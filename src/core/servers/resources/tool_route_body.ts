import { dumpCompact } from '../../python/json_dump';
import { parsePythonJson } from '../../python/json_parse';
import { isPyDict, PyException, type PyDict, type PyValue } from '../../python/value';
import { jsonInvalidDetail, missingBodyDetail, validationBody } from '../http/validation_errors';

/** An HTTP answer of the tool route: status and body text. */
export interface ToolRouteAnswer {
  status: number;
  body: string;
}

/**
 * A tool-route body, parsed the way Python does (ints and floats stay distinct, dict order kept), because the
 * tools see these values as Python objects. Returns the arguments, or the answer FastAPI gives before the tool runs.
 */
export function parseToolRouteBody(body: Buffer): { args: PyDict } | ToolRouteAnswer {
  if (body.length === 0) return { status: 422, body: validationBody([missingBodyDetail()]) };
  let value: PyValue;
  try {
    value = parsePythonJson(body.toString('utf8'));
  } catch (error) {
    if (error instanceof PyException && error.type === 'JSONDecodeError') {
      const match = /^(.*): line \d+ column \d+ \(char (\d+)\)$/s.exec(error.message);
      return { status: 422, body: validationBody([jsonInvalidDetail(Number(match?.[2] ?? 0), match?.[1] ?? error.message)]) };
    }
    return { status: 422, body: validationBody([jsonInvalidDetail(0, error instanceof Error ? error.message : 'invalid JSON')]) };
  }
  if (value === null) return { status: 422, body: validationBody([missingBodyDetail()]) };
  if (!isPyDict(value)) {
    return {
      status: 422,
      body: `{"detail":[{"type":"model_attributes_type","loc":["body"],"msg":"Input should be a valid dictionary or object to extract fields from","input":${dumpCompact(value)}}]}`,
    };
  }
  return { args: value };
}

/** The answer for a tool's output: `{"output": …}` as FastAPI serializes `WorkbenchResponse(output=…)`. */
export function toolRouteOutputAnswer(output: PyValue): ToolRouteAnswer {
  try {
    return { status: 200, body: `{"output":${dumpCompact(output)}}` };
  } catch (error) {
    const message = error instanceof Error ? `${error.name}(${JSON.stringify(error.message)})` : 'An unknown error occurred';
    return { status: 500, body: JSON.stringify(message) };
  }
}
