import type { MaybePromise } from '../../maybe_promise';
import { pyRepr } from '../../python/repr';
import { PyException, type PyDict, type PyValue } from '../../python/value';
import { asPythonException, invokeTool } from './invoke';
import type { WorkplaceSession } from './session';
import { WORKPLACE_TOOLS } from './tools';

/**
 * The last call of each session that has not answered yet. A session's calls run one after another, as in NeMo
 * Gym: a call that arrives while an earlier one waits for its regular expression runs after it.
 */
const unfinishedCalls = new WeakMap<WorkplaceSession, Promise<PyValue>>();

/**
 * The catch-all tool route `POST /{path}` without HTTP (WORKPLACE_TOOLS.md §2.3): top-level `null` arguments are
 * dropped, `functions[path](**args)` runs, and any exception becomes the output string
 * `Error executing tool '<path>': <str(e)>` (an unknown tool is a `KeyError`, whose `str` is the repr of the name).
 * Returns the value that goes into `{"output": …}`: at once, unless a regular expression had to run in a worker
 * thread (or an earlier call of the session still waits for one).
 */
export function callToolRoute(session: WorkplaceSession, toolName: string, body: PyDict): MaybePromise<PyValue> {
  const args: PyDict = new Map();
  for (const [key, value] of body) if (value !== null) args.set(key, value);
  const earlier = unfinishedCalls.get(session);
  const run = () => runTool(session, toolName, args);
  const output = earlier === undefined ? run() : earlier.then(run, run);
  if (output instanceof Promise) {
    unfinishedCalls.set(session, output);
    const forget = () => {
      if (unfinishedCalls.get(session) === output) unfinishedCalls.delete(session);
    };
    output.then(forget, forget);
  }
  return output;
}

function runTool(session: WorkplaceSession, toolName: string, args: PyDict): MaybePromise<PyValue> {
  const failed = (error: unknown) => `Error executing tool '${toolName}': ${asPythonException(error).message}`;
  try {
    const tool = WORKPLACE_TOOLS.get(toolName);
    if (tool === undefined) throw new PyException('KeyError', pyRepr(toolName));
    const output = invokeTool(session, tool, args);
    return output instanceof Promise ? output.catch(failed) : output;
  } catch (error) {
    return failed(error);
  }
}
