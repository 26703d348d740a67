import { andThen } from '../../../maybe_promise';
import { pyTruthy } from '../../../python/ops';
import { compilePythonRegex } from '../../../python/regex';
import type { PyValue } from '../../../python/value';
import type { CowTable } from '../table';
import { rowToRecord } from '../table';
import { fieldColumn, isOneOf } from './fields';
import { applyMask, columnContains, equalsMask, filterByPatterns, nextId, removeMatching, resumableColumnFold, updateMatching, type SavedColumnFold } from './frame_ops';
import { lowerOf } from './text';
import { argument, defineTool, type WorkplaceTool } from './tool';

const TASK_ID = 0;
const TASK_NAME = 1;
const ASSIGNED_TO_EMAIL = 2;
const LIST_NAME = 3;
const DUE_DATE = 4;
const BOARD = 5;

const LISTS = ['Backlog', 'In Progress', 'In Review', 'Completed'];
const BOARDS = ['Back end', 'Front end', 'Design'];
const EMAIL_FORMAT = '^[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\\.[a-zA-Z]{2,}$';

const INVALID_ASSIGNEE = 'Assignee email not valid. Please choose from the list of team members.';
const INVALID_LIST = "List not valid. Please choose from: 'Backlog', 'In Progress', 'In Review', 'Completed'.";
const INVALID_BOARD = "Board not valid. Please choose from: 'Back end', 'Front end', 'Design'.";

/** The lower-cased assignees of the tasks so far, kept from call to call while tasks are only added. */
const currentAssignees = new WeakMap<CowTable, SavedColumnFold<Set<string>>>();

/** An assignee is valid while at least one task in the table is assigned to them (compared lower-cased). */
function isCurrentAssignee(tasks: CowTable, lowerCasedEmail: string): boolean {
  const assignees = resumableColumnFold(currentAssignees, tasks, ASSIGNED_TO_EMAIL, () => new Set<string>(), (seen, cell) => {
    if (typeof cell === 'string') seen.add(lowerOf(cell));
    return seen;
  });
  return assignees.has(lowerCasedEmail);
}

/** §5.19 */
const getTaskInformationById = defineTool('project_management_get_task_information_by_id', (session, args) => {
  const taskId = argument(args, 'task_id');
  const field = argument(args, 'field');
  if (!pyTruthy(taskId)) return 'Task ID not provided.';
  if (!pyTruthy(field)) return 'Field not provided.';
  const rows = session.tasks.rows;
  const task = applyMask(rows, equalsMask(rows, TASK_ID, taskId))[0];
  if (task === undefined) return 'Task not found.';
  const column = fieldColumn(session.tasks, field);
  if (column === undefined) return 'Field not found.';
  return new Map([[field as string, task[column] ?? null]]);
});

/** §5.20: not paginated; may return `[]`. */
const searchTasks = defineTool('project_management_search_tasks', (session, args) => {
  const taskName = argument(args, 'task_name');
  const assignedToEmail = argument(args, 'assigned_to_email');
  const listName = argument(args, 'list_name');
  const dueDate = argument(args, 'due_date');
  const board = argument(args, 'board');
  if (![taskName, assignedToEmail, listName, dueDate, board].some(pyTruthy)) return 'No search parameters provided.';
  const guard = session.regexGuard;
  const emailIsValid = pyTruthy(assignedToEmail) ? guard.evaluateValue(compilePythonRegex(EMAIL_FORMAT, { ignoreCase: false }), assignedToEmail, 'match') : true;
  return andThen(emailIsValid, (valid) => {
    if (!valid) return 'Invalid email format for assigned_to_email.';
    return andThen(filterByPatterns(guard, session.tasks.rows, [[TASK_NAME, taskName]], false), (named) => {
      let rows = named;
      if (pyTruthy(assignedToEmail)) {
        const wanted = lowerOf(assignedToEmail);
        rows = rows.filter((row) => {
          const cell = row[ASSIGNED_TO_EMAIL];
          return typeof cell === 'string' && lowerOf(cell) === wanted;
        });
      }
      const regexFilters: ReadonlyArray<readonly [number, PyValue]> = [
        [LIST_NAME, listName],
        [DUE_DATE, dueDate],
        [BOARD, board],
      ];
      return andThen(filterByPatterns(guard, rows, regexFilters, false), (matching) => matching.map((row) => rowToRecord(session.tasks.columns, row)));
    });
  });
});

/** §5.21 */
const createTask = defineTool('project_management_create_task', (session, args) => {
  const taskName = argument(args, 'task_name');
  const assignedToEmail = argument(args, 'assigned_to_email');
  const listName = argument(args, 'list_name');
  const dueDate = argument(args, 'due_date');
  const board = argument(args, 'board');
  if (![taskName, assignedToEmail, listName, dueDate, board].every(pyTruthy)) return 'Missing task details.';
  const assignee = lowerOf(assignedToEmail);
  if (!isCurrentAssignee(session.tasks, assignee)) return INVALID_ASSIGNEE;
  if (!isOneOf(listName, LISTS)) return INVALID_LIST;
  if (!isOneOf(board, BOARDS)) return INVALID_BOARD;
  const taskId = nextId(session.tasks, TASK_ID, true);
  session.tasks.appendAndRelabel([taskId, taskName, assignee, listName, dueDate, board]);
  return taskId;
});

/** §5.22 */
const deleteTask = defineTool('project_management_delete_task', (session, args) => {
  const taskId = argument(args, 'task_id');
  if (!pyTruthy(taskId)) return 'Task ID not provided.';
  if (!columnContains(session.tasks.rows, TASK_ID, taskId)) return 'Task not found.';
  removeMatching(session.tasks, TASK_ID, taskId);
  return 'Task deleted successfully.';
});

/** §5.23: values are validated before the task is looked up; `task_id` itself can be updated. */
const updateTask = defineTool('project_management_update_task', (session, args) => {
  const taskId = argument(args, 'task_id');
  const field = argument(args, 'field');
  let newValue = argument(args, 'new_value');
  if (!pyTruthy(taskId) || !pyTruthy(field) || !pyTruthy(newValue)) return 'Task ID, field, or new value not provided.';
  if (field === 'assigned_to_email') newValue = lowerOf(newValue);
  if (field === 'board' && !isOneOf(newValue, BOARDS)) return INVALID_BOARD;
  if (field === 'list_name' && !isOneOf(newValue, LISTS)) return INVALID_LIST;
  if (field === 'assigned_to_email' && !isCurrentAssignee(session.tasks, newValue as string)) return INVALID_ASSIGNEE;
  if (!columnContains(session.tasks.rows, TASK_ID, taskId)) return 'Task not found.';
  const column = fieldColumn(session.tasks, field);
  if (column === undefined) return 'Field not valid.';
  updateMatching(session.tasks, TASK_ID, taskId, column, newValue);
  return 'Task updated successfully.';
});

export const PROJECT_MANAGEMENT_TOOLS: readonly WorkplaceTool[] = [getTaskInformationById, searchTasks, createTask, deleteTask, updateTask];
