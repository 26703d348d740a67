import { pyRepr } from '../../python/repr';
import { PyException, type PyDict, type PyValue } from '../../python/value';
import { asPythonException, invokeTool } from './invoke';
import type { WorkplaceSession } from './session';
import { WORKPLACE_TOOLS } from './tools';

/**
 * The catch-all tool route `POST /{path}` without HTTP (WORKPLACE_TOOLS.md §2.3): top-level `null` arguments are
 * dropped, `functions[path](**args)` runs, and any exception becomes the output string
 * `Error executing tool '<path>': <str(e)>` (an unknown tool is a `KeyError`, whose `str` is the repr of the name).
 * Returns the value that goes into `{"output": …}`.
 */
export function callToolRoute(session: WorkplaceSession, toolName: string, body: PyDict): PyValue {
  const args: PyDict = new Map();
  for (const [key, value] of body) if (value !== null) args.set(key, value);
  try {
    const tool = WORKPLACE_TOOLS.get(toolName);
    if (tool === undefined) throw new PyException('KeyError', pyRepr(toolName));
    return invokeTool(session, tool, args);
  } catch (error) {
    return `Error executing tool '${toolName}': ${asPythonException(error).message}`;
  }
}
