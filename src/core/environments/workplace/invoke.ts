import type { MaybePromise } from '../../maybe_promise';
import { bindKeywordArguments } from '../../python/call_args';
import { PyException, type PyDict, type PyValue } from '../../python/value';
import type { WorkplaceSession } from './session';
import type { WorkplaceTool } from './tools';

/**
 * `function(**kwargs)`: Python keyword binding (TypeError texts of 3.13), then the tool itself. A promise only when
 * the tool had to run a regular expression in a worker thread.
 */
export function invokeTool(session: WorkplaceSession, tool: WorkplaceTool, kwargs: PyDict): MaybePromise<PyValue> {
  return tool.run(session, bindKeywordArguments(tool.qualifiedName, tool.parameters, kwargs));
}

/**
 * The Python exception an error stands for. A JavaScript stack overflow is Python's `RecursionError`; anything
 * else that is not a `PyException` is a defect here, reported as an `InternalError` rather than crashing the caller.
 */
export function asPythonException(error: unknown): PyException {
  if (error instanceof PyException) return error;
  if (error instanceof RangeError && /call stack/i.test(error.message)) {
    return new PyException('RecursionError', 'maximum recursion depth exceeded');
  }
  return new PyException('InternalError', error instanceof Error ? error.message : String(error));
}
