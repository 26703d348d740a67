import { call, type Template } from '../candidate';
import { personByEmail, type Entities, type Person, type TaskEntity } from '../entities';
import { earliest, monthDay, phrase } from '../phrasing';
import { BOARDS, FUTURE_WORKDAYS, LISTS, NEW_TASK_NAMES, fits, lowerFirst, personName } from './common';

const CATEGORY = 'project_management' as const;

/** People who hold tasks: `create_task` and reassignment accept only them. */
export function assignees(entities: Entities): Person[] {
  const holders = new Set(entities.tasks.map((task) => task.assignee));
  return entities.people.filter((person) => holders.has(person.email));
}

/** Create a task on a board for a colleague. */
const createTask: Template = {
  pattern: 'project_management.create_task',
  category: CATEGORY,
  kinds: ['action'],
  build({ rng, entities }) {
    // Anyone in the directory: the tool refuses people who hold no task yet, and the sandbox run drops those.
    const person = rng.pick(entities.people);
    const name = personName(rng, person);
    const title = rng.pick(NEW_TASK_NAMES);
    const board = rng.pick(BOARDS);
    const list = rng.pick(['Backlog', 'In Progress']);
    const due = rng.pick(FUTURE_WORKDAYS);
    const query = phrase(rng, [
      `Add a new task to the ${board} ${lowerFirst(list)} called '${title}' and assign it to ${name}. It's due on ${monthDay(due)}.`,
      `Create a ${board} board task '${title}' for ${name} in ${list}, due ${monthDay(due)}.`,
      `Can you put '${title}' on the ${board} board for ${name}? List: ${list}; deadline ${monthDay(due)}.`,
    ]);
    return {
      pattern: this.pattern,
      category: CATEGORY,
      kind: 'action',
      query,
      entities: [board, title, name, monthDay(due)],
      calls: [call('project_management_create_task', { task_name: title, assigned_to_email: person.email, list_name: list, due_date: due, board })],
      descriptions: [],
    };
  },
};

/** Find a colleague's task by name and move it to another list. */
const moveTask: Template = {
  pattern: 'project_management.move_task',
  category: CATEGORY,
  kinds: ['action'],
  build({ rng, entities }) {
    const task = rng.pick(entities.tasks);
    const person = personByEmail(entities, task.assignee);
    if (person === undefined) return null;
    const list = rng.pick(LISTS);
    const name = personName(rng, person);
    // One phrasing leaves out whose task it is, which names several tasks when the title repeats.
    const withOwner = rng.chance(0.75);
    const described = withOwner ? `${name}'s task '${task.name}'` : `the task '${task.name}'`;
    const query = withOwner
      ? phrase(rng, [`Move ${described} to ${list}`, `${name} has moved on with '${task.name}' - put it in ${list}.`, `Please set ${described} to ${list}.`])
      : `Move ${described} to ${list}`;
    const matches = entities.tasks.filter((other) => other.name === task.name && (!withOwner || other.assignee === task.assignee)).length;
    return {
      pattern: this.pattern,
      category: CATEGORY,
      kind: 'action',
      query,
      entities: withOwner ? [name, task.name, list] : [task.name, list],
      calls: [call('project_management_update_task', { task_id: task.id, field: 'list_name', new_value: list })],
      descriptions: [{ text: described, matches }],
    };
  },
};

/** Look up a colleague's most urgent unfinished task on a board and give it to someone else. */
const reassignMostUrgent: Template = {
  pattern: 'project_management.reassign_most_urgent',
  category: CATEGORY,
  kinds: ['action'],
  build({ rng, entities }) {
    const people = assignees(entities);
    const from = rng.pick(people);
    const to = rng.pick(people.filter((person) => person !== from));
    const board = rng.pick(BOARDS);
    const open = entities.tasks.filter((task) => task.assignee === from.email && task.board === board && task.list !== 'Completed');
    const urgent = earliest(open, (task) => task.due);
    if (urgent === null) return null;
    const fromName = personName(rng, from);
    const toName = personName(rng, to);
    const query = phrase(rng, [
      `I need to take ${fromName}'s most urgent ${board} task and reassign it to ${toName}. Can you do that?`,
      `Give ${fromName}'s unfinished ${board} task with the earliest due date to ${toName}.`,
      `${toName} is taking over ${fromName}'s most urgent open task on the ${board} board - please reassign it.`,
    ]);
    return {
      pattern: this.pattern,
      category: CATEGORY,
      kind: 'action',
      query,
      entities: [fromName, toName, board],
      calls: [call('project_management_update_task', { task_id: (urgent.items[0] as TaskEntity).id, field: 'assigned_to_email', new_value: to.email })],
      descriptions: [{ text: `${from.handle}'s most urgent ${board} task`, matches: urgent.items.length }],
    };
  },
};

/** Search a colleague's tasks on one list and move each to another (none: nothing to do). */
const moveListBulk: Template = {
  pattern: 'project_management.move_list_bulk',
  category: CATEGORY,
  kinds: ['action', 'no_action'],
  build({ rng, entities }, kind) {
    const person = rng.pick(assignees(entities));
    const from = rng.pick(['In Progress', 'In Review']);
    const to = rng.pick(LISTS.filter((list) => list !== from));
    const board = rng.pick(BOARDS);
    const matching = entities.tasks.filter((task) => task.assignee === person.email && task.list === from && task.board === board);
    if (kind === 'action' ? !fits(matching, 4) : matching.length > 0) return null;
    const name = personName(rng, person);
    const query = phrase(rng, [
      `Move all of ${name}'s ${board} tasks that are ${from.toLowerCase()} to ${to.toLowerCase()}`,
      `Every ${board} task of ${name}'s in ${from} should go to ${to}. Can you update them?`,
      `Please take ${name}'s ${from.toLowerCase()} tasks on the ${board} board and move them to ${to}.`,
    ]);
    return {
      pattern: this.pattern,
      category: CATEGORY,
      kind,
      query,
      entities: [name, board, from, to],
      calls: matching.map((task) => call('project_management_update_task', { task_id: task.id, field: 'list_name', new_value: to })),
      descriptions: [],
    };
  },
};

/** Find a colleague's task on a board by name and delete it. */
const deleteTask: Template = {
  pattern: 'project_management.delete_task',
  category: CATEGORY,
  kinds: ['action'],
  build({ rng, entities }) {
    const task = rng.pick(entities.tasks);
    const person = personByEmail(entities, task.assignee);
    if (person === undefined) return null;
    const name = personName(rng, person);
    const query = phrase(rng, [
      `Delete ${name}'s task '${task.name}' from the ${task.board} board`,
      `We dropped '${task.name}' - remove ${name}'s ${task.board} task with that name.`,
      `Can you delete the ${task.board} task '${task.name}' assigned to ${name}?`,
    ]);
    return {
      pattern: this.pattern,
      category: CATEGORY,
      kind: 'action',
      query,
      entities: [name, task.name, task.board],
      calls: [call('project_management_delete_task', { task_id: task.id })],
      descriptions: [
        { text: `${person.handle}'s ${task.board} task '${task.name}'`, matches: entities.tasks.filter((other) => other.name === task.name && other.assignee === task.assignee && other.board === task.board).length },
      ],
    };
  },
};

export const PROJECT_MANAGEMENT_TEMPLATES: readonly Template[] = [createTask, moveTask, reassignMostUrgent, moveListBulk, deleteTask];
