import { call, type Template } from '../candidate';
import { TODAY, personByEmail, type AnalyticsDay, type EmailEntity } from '../entities';
import { addDays, clockTime, latest, monthDay, phrase } from '../phrasing';
import { CONDITION_METRICS } from './analytics';
import { BOARDS, FUTURE_WORKDAYS, REPLY_BODIES, STATUSES, meetingTime, personName } from './common';
import { assignees } from './project_management';

const CATEGORY = 'multi_domain' as const;

const OVERDUE_BODY = 'You have a few overdue tasks - can you update me on them?';
const GOOD_WORK_BODY = 'Nice work keeping on top of your tasks this sprint!';

/** Check a colleague's overdue tasks, then send one of two emails. */
const overdueEmail: Template = {
  pattern: 'multi_domain.overdue_then_email',
  category: CATEGORY,
  kinds: ['action'],
  build({ rng, entities }) {
    const person = rng.pick(assignees(entities));
    const overdue = entities.tasks.some((task) => task.assignee === person.email && task.due < TODAY && task.list !== 'Completed');
    const name = personName(rng, person);
    const query = phrase(rng, [
      `can you check if ${name} has any overdue tasks? If so, send them an email titled 'Overdue tasks' saying '${OVERDUE_BODY}'. Otherwise email them with '${GOOD_WORK_BODY}' titled 'Good work this sprint'`,
      `Look at ${name}'s tasks: if any is past its due date and not completed, email them 'Overdue tasks' with the body '${OVERDUE_BODY}'; if not, email them 'Good work this sprint' saying '${GOOD_WORK_BODY}'.`,
    ]);
    const [subject, body] = overdue ? ['Overdue tasks', OVERDUE_BODY] : ['Good work this sprint', GOOD_WORK_BODY];
    return {
      pattern: this.pattern,
      category: CATEGORY,
      kind: 'action',
      query,
      entities: [name, 'Overdue tasks', OVERDUE_BODY, 'Good work this sprint', GOOD_WORK_BODY],
      calls: [call('email_send_email', { recipient: person.email, subject, body })],
      descriptions: [],
    };
  },
};

/** Check a colleague's overdue tasks; book a meeting only if there are some. */
const overdueMeeting: Template = {
  pattern: 'multi_domain.overdue_then_meeting',
  category: CATEGORY,
  kinds: ['action', 'no_action'],
  build({ rng, entities }, kind) {
    const person = rng.pick(assignees(entities));
    const overdue = entities.tasks.some((task) => task.assignee === person.email && task.due < TODAY && task.list !== 'Completed');
    if (overdue !== (kind === 'action')) return null;
    const name = personName(rng, person);
    const day = rng.pick(FUTURE_WORKDAYS);
    const time = meetingTime(rng, 30);
    const when = `${monthDay(day)} at ${clockTime(time)}`;
    const query = phrase(rng, [
      `I think ${name} might have some overdue tasks. Can you check and if so, book a half hour meeting with them called 'Catch up on overdue tasks' on ${when}?`,
      `If ${name} has any unfinished tasks past their due date, schedule a 30-minute 'Catch up on overdue tasks' with them on ${when}.`,
    ]);
    return {
      pattern: this.pattern,
      category: CATEGORY,
      kind,
      query,
      entities: [name, 'Catch up on overdue tasks', monthDay(day), clockTime(time)],
      calls: kind === 'action' ? [call('calendar_create_event', { event_name: 'Catch up on overdue tasks', participant_email: person.email, event_start: `${day} ${time}:00`, duration: '30' })] : [],
      descriptions: [],
    };
  },
};

/** WorkBench's analytics-then-project-management chain: a threshold check, then a backlog task. */
const analyticsThenTask: Template = {
  pattern: 'multi_domain.analytics_then_task',
  category: CATEGORY,
  kinds: ['action', 'no_action'],
  build({ rng, entities }, kind) {
    const [, words, daily] = rng.pick(CONDITION_METRICS);
    const days = entities.analyticsDays;
    const start = rng.int(Math.max(0, days.length - 45), days.length - 3);
    const since = (days[start] as AnalyticsDay).date;
    const lowest = Math.min(...days.slice(start).map(daily));
    const threshold = kind === 'action' ? Math.floor(lowest) + 1 + rng.int(0, 2) : Math.floor(lowest) - rng.int(0, 2);
    if (threshold <= 0 || lowest < threshold !== (kind === 'action')) return null;
    const person = rng.pick(assignees(entities));
    const name = personName(rng, person);
    const board = rng.pick(BOARDS);
    const due = rng.pick(FUTURE_WORKDAYS);
    const title = `Improve ${words}`;
    const query = phrase(rng, [
      `If ${words} was less than ${threshold} at any time since ${monthDay(since)}, make a backlog task called '${title}' for ${name} on the ${board} board due ${monthDay(due)}`,
      `Was ${words} below ${threshold} on any day since ${monthDay(since)}? If so, we need to fix it by ${monthDay(due)}: add a backlog task '${title}' on the ${board} board and assign it to ${name}.`,
    ]);
    return {
      pattern: this.pattern,
      category: CATEGORY,
      kind,
      query,
      entities: [words, String(threshold), monthDay(since), title, name, board, monthDay(due)],
      calls: kind === 'action' ? [call('project_management_create_task', { task_name: title, assigned_to_email: person.email, list_name: 'Backlog', due_date: due, board })] : [],
      descriptions: [],
    };
  },
};

/** CRM then calendar: if a customer has not been contacted lately, meet whoever owns the account. */
const staleCustomerMeeting: Template = {
  pattern: 'multi_domain.stale_customer_meeting',
  category: CATEGORY,
  kinds: ['action', 'no_action'],
  build({ rng, entities }, kind) {
    const customer = rng.pick(entities.customers);
    const owner = personByEmail(entities, customer.assignee);
    if (owner === undefined) return null;
    const days = rng.pick([7, 10, 14, 21, 30]);
    const cutoff = addDays(TODAY, -days);
    const contacted = customer.lastContact.slice(0, 10);
    if (contacted === cutoff) return null;
    const stale = contacted < cutoff;
    if (stale !== (kind === 'action')) return null;
    const day = rng.pick(FUTURE_WORKDAYS);
    const time = meetingTime(rng, 30);
    const when = `${monthDay(day)} at ${clockTime(time)}`;
    const title = `Update on ${customer.name}`;
    const query = phrase(rng, [
      `If we haven't spoken to ${customer.name} in the past ${days} days, book a 30-minute meeting called '${title}' with whoever is assigned to them on ${when}`,
      `Check when we last contacted ${customer.name}. If it was more than ${days} days ago, set up a half-hour '${title}' with their account owner on ${when}.`,
    ]);
    const sameName = entities.customers.filter((other) => other.name === customer.name).length;
    return {
      pattern: this.pattern,
      category: CATEGORY,
      kind,
      query,
      entities: [customer.name, String(days), monthDay(day), clockTime(time)],
      calls: kind === 'action' ? [call('calendar_create_event', { event_name: title, participant_email: owner.email, event_start: `${day} ${time}:00`, duration: '30' })] : [],
      descriptions: [{ text: customer.name, matches: sameName }],
    };
  },
};

/** Email then CRM: reply to a colleague's latest email and update a customer's status. */
const replyAndUpdateCustomer: Template = {
  pattern: 'multi_domain.reply_and_update_customer',
  category: CATEGORY,
  kinds: ['action'],
  build({ rng, entities }) {
    const customer = rng.pick(entities.customers);
    const owner = personByEmail(entities, customer.assignee);
    if (owner === undefined) return null;
    const newest = latest(entities.emails.filter((email) => email.sender === owner.email), (email) => email.sent);
    if (newest === null) return null;
    const status = rng.pick(STATUSES);
    const body = rng.pick(REPLY_BODIES);
    const name = personName(rng, owner);
    const query = phrase(rng, [
      `Reply to ${name}'s latest email with '${body}', and mark their customer ${customer.name} as ${status.toLowerCase()} in the crm.`,
      `Two things: update ${customer.name} to ${status} in the CRM, then answer the most recent email from ${name} with '${body}'.`,
    ]);
    return {
      pattern: this.pattern,
      category: CATEGORY,
      kind: 'action',
      query,
      entities: [name, body, customer.name, status.toLowerCase()],
      calls: [
        call('email_reply_email', { email_id: (newest.items[0] as EmailEntity).id, body }),
        call('customer_relationship_manager_update_customer', { customer_id: customer.id, field: 'status', new_value: status }),
      ],
      descriptions: [
        { text: `the latest email from ${owner.handle}`, matches: newest.items.length },
        { text: customer.name, matches: entities.customers.filter((other) => other.name === customer.name).length },
      ],
    };
  },
};

/** Project management then email: complete a task and tell its owner. */
const completeTaskAndEmail: Template = {
  pattern: 'multi_domain.complete_task_and_email',
  category: CATEGORY,
  kinds: ['action'],
  build({ rng, entities }) {
    const task = rng.pick(entities.tasks);
    const person = personByEmail(entities, task.assignee);
    if (person === undefined) return null;
    const name = personName(rng, person);
    const body = `Thanks for finishing '${task.name}'!`;
    const query = phrase(rng, [
      `Mark ${name}'s ${task.board} task '${task.name}' as completed and email them titled 'Task completed' saying '${body}'`,
      `${name} finished '${task.name}' on the ${task.board} board. Move it to Completed and send them an email 'Task completed' with the message '${body}'.`,
    ]);
    return {
      pattern: this.pattern,
      category: CATEGORY,
      kind: 'action',
      query,
      entities: [name, task.name, task.board, 'Task completed', body],
      calls: [
        call('project_management_update_task', { task_id: task.id, field: 'list_name', new_value: 'Completed' }),
        call('email_send_email', { recipient: person.email, subject: 'Task completed', body }),
      ],
      descriptions: [
        { text: `${person.handle}'s ${task.board} task '${task.name}'`, matches: entities.tasks.filter((other) => other.name === task.name && other.assignee === task.assignee && other.board === task.board).length },
      ],
    };
  },
};

export const MULTI_DOMAIN_TEMPLATES: readonly Template[] = [overdueEmail, overdueMeeting, analyticsThenTask, staleCustomerMeeting, replyAndUpdateCustomer, completeTaskAndEmail];
