import type { MaybePromise } from '../../../maybe_promise';
import type { PyValue } from '../../../python/value';
import type { WorkplaceSession } from '../session';
import { toolParameterNames, WORKPLACE_TOOL_SCHEMAS } from '../tool_schemas';

/** Keyword arguments after Python binding: only the ones the caller passed (defaults are applied by each tool). */
export type ToolArguments = ReadonlyMap<string, PyValue>;

/** One of the 27 functions of `get_tools(...)["functions"]`: a bound method of one of the toolkit classes. */
export interface WorkplaceTool {
  /** The tool (and route) name, e.g. `email_search_emails`. */
  readonly name: string;
  /** Python class and method, for `TypeError` texts: `EmailTool.search_emails`. */
  readonly qualifiedName: string;
  /** Python parameter names in declaration order, without `self`. */
  readonly parameters: readonly string[];
  /**
   * Runs the method; Python exceptions are thrown as `PyException`. The searches whose regular expression must
   * run in a worker thread answer with a promise (rejected with the exception); every other call answers at once.
   */
  run(session: WorkplaceSession, args: ToolArguments): MaybePromise<PyValue>;
}

const TOOLKIT_PREFIXES: ReadonlyArray<readonly [prefix: string, pythonClass: string]> = [
  ['company_directory_', 'CompanyDirectoryTool'],
  ['email_', 'EmailTool'],
  ['calendar_', 'CalendarTool'],
  ['analytics_', 'AnalyticsTool'],
  ['project_management_', 'ProjectManagementTool'],
  ['customer_relationship_manager_', 'CustomerRelationshipManagerTool'],
];

/** Builds a tool from its schema: the parameter order is the schema's property order, the method the name's tail. */
export function defineTool(name: string, run: WorkplaceTool['run']): WorkplaceTool {
  const schema = WORKPLACE_TOOL_SCHEMAS.find((candidate) => candidate.name === name);
  const toolkit = TOOLKIT_PREFIXES.find(([prefix]) => name.startsWith(prefix));
  if (schema === undefined || toolkit === undefined) throw new Error(`no schema or toolkit for tool ${name}`);
  const [prefix, pythonClass] = toolkit;
  return { name, qualifiedName: `${pythonClass}.${name.slice(prefix.length)}`, parameters: toolParameterNames(schema), run };
}

/** The argument if the caller passed it (even `None`), else the Python default. */
export function argument(args: ToolArguments, name: string, pythonDefault: PyValue = null): PyValue {
  const value = args.get(name);
  return value === undefined ? pythonDefault : value;
}
