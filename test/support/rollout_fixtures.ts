/**
 * Realistic rollout lines in NeMo Gym's format for tests and benchmarks, modelled on
 * `workplace_assistant/example_rollouts.jsonl` (NEMO_GYM_PROTOCOL.md §7): the full `responses_create_params` echo
 * with 27 function tools, a `response` whose `output` interleaves reasoning, function_call,
 * function_call_output (raw `{"output": ...}` bodies) and message items, `usage`, and a float `reward`. Optional
 * parts: collector indices, the dataset fields our resources server echoes, and `reward_explanation`.
 *
 * Everything is generated (deterministically, from a seed) and written to temporary directories at test time.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// ---- JSON serialisation in the two formats rollout files come in ----

/** A Python float: written as `1.0`, not `1`. */
export class PyFloat {
  constructor(readonly value: number) {}
}

/** Pre-serialised JSON spliced in verbatim (the tool list is the same on every line). */
export class RawJson {
  constructor(readonly text: string) {}
}

export type FixtureValue = null | boolean | number | string | PyFloat | RawJson | FixtureValue[] | { [key: string]: FixtureValue | undefined };

export type JsonFormat = 'python' | 'compact';

function floatText(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  const text = String(value);
  return /[.eE]/.test(text) ? text : `${text}.0`;
}

function asciiEscape(json: string): string {
  return json.replace(/[\u007f-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * `python`: `json.dumps` defaults (`", "`, `": "` separators, non-ASCII escaped), as in the example files.
 * `compact`: orjson (no spaces, UTF-8 as is), as v0.2+ collectors write.
 */
export function serialize(value: FixtureValue, format: JsonFormat): string {
  const parts: string[] = [];
  const comma = format === 'python' ? ', ' : ',';
  const colon = format === 'python' ? ': ' : ':';
  const str = (s: string) => (format === 'python' ? asciiEscape(JSON.stringify(s)) : JSON.stringify(s));
  const write = (v: FixtureValue): void => {
    if (v === null) parts.push('null');
    else if (typeof v === 'boolean') parts.push(v ? 'true' : 'false');
    else if (typeof v === 'number') parts.push(Number.isFinite(v) ? String(v) : 'null');
    else if (typeof v === 'string') parts.push(str(v));
    else if (v instanceof PyFloat) parts.push(floatText(v.value));
    else if (v instanceof RawJson) parts.push(v.text);
    else if (Array.isArray(v)) {
      parts.push('[');
      v.forEach((item, k) => {
        if (k) parts.push(comma);
        write(item);
      });
      parts.push(']');
    } else {
      parts.push('{');
      let first = true;
      for (const [key, item] of Object.entries(v)) {
        if (item === undefined) continue;
        if (!first) parts.push(comma);
        first = false;
        parts.push(str(key), colon);
        write(item);
      }
      parts.push('}');
    }
  };
  write(value);
  return parts.join('');
}

// ---- deterministic randomness ----

export class Random {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0 || 1;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }
  hex(n: number): string {
    let s = '';
    for (let k = 0; k < n; k++) s += '0123456789abcdef'[this.int(16)];
    return s;
  }
}

// ---- the environment's tools (our own wording of their schemas) ----

type ParamSpec = [name: string, type: 'string' | 'integer', description: string, required: boolean];

const TOOL_SPECS: [name: string, description: string, params: ParamSpec[]][] = [
  ['company_directory_find_email_address', 'Finds all email addresses containing the given name (case-insensitive search).', [['name', 'string', 'Name or partial name to search for in email addresses', false]]],
  ['email_get_email_information_by_id', 'Retrieves specific details of an email by its ID.', [['email_id', 'string', 'Unique ID of the email', true], ['field', 'string', "Specific field to return. Available fields: 'email_id', 'inbox/outbox', 'sender/recipient', 'subject', 'sent_datetime', 'body'", true]]],
  ['email_search_emails', 'Searches for emails matching the given query across subject, body, or sender fields. The function matches an email if all words in the query appear in any of these fields.', [['query', 'string', 'Search query, matching terms in subject, body, or sender/recipient fields', false], ['date_min', 'string', "Lower date limit for the email's sent date (inclusive). Format: YYYY-MM-DD", false], ['date_max', 'string', "Upper date limit for the email's sent date (inclusive). Format: YYYY-MM-DD", false], ['page', 'integer', 'Page number of results to return', false], ['page_size', 'integer', 'Number of emails per page', false]]],
  ['email_send_email', 'Sends an email to the specified recipient.', [['recipient', 'string', 'Email address of the recipient', true], ['subject', 'string', 'Subject line of the email', true], ['body', 'string', 'Body content of the email', true]]],
  ['email_delete_email', 'Deletes an email by its ID.', [['email_id', 'string', 'Unique ID of the email to be deleted', true]]],
  ['email_forward_email', 'Forwards an email to the specified recipient.', [['email_id', 'string', 'Unique ID of the email to be forwarded', true], ['recipient', 'string', 'Email address of the recipient', true]]],
  ['email_reply_email', 'Replies to an email by its ID.', [['email_id', 'string', 'Unique ID of the email to be replied', true], ['body', 'string', 'Body content of the email', true]]],
  ['calendar_get_event_information_by_id', 'Returns the event for a given ID.', [['event_id', 'string', '8-digit ID of the event', true], ['field', 'string', 'Field to return. Available fields are: event_id, event_name, participant_email, event_start, duration', true]]],
  ['calendar_search_events', 'Returns the events for a given query with pagination support.', [['query', 'string', 'Query to search for. Terms will be matched in the event_name and participant_email fields', false], ['time_min', 'string', 'Lower bound (inclusive) for an event\'s end time to filter by. Format: "YYYY-MM-DD HH:MM:SS"', false], ['time_max', 'string', 'Upper bound (inclusive) for an event\'s start time to filter by. Format: "YYYY-MM-DD HH:MM:SS"', false], ['page', 'integer', 'Page number of results to return', false], ['page_size', 'integer', 'Number of events per page', false]]],
  ['calendar_create_event', 'Creates a new event.', [['event_name', 'string', 'Name of the event', true], ['participant_email', 'string', 'Email of the participant', true], ['event_start', 'string', 'Start time of the event. Format: "YYYY-MM-DD HH:MM:SS"', true], ['duration', 'string', 'Duration of the event in minutes', true]]],
  ['calendar_delete_event', 'Deletes an event.', [['event_id', 'string', '8-digit ID of the event', true]]],
  ['calendar_update_event', 'Updates an event.', [['event_id', 'string', '8-digit ID of the event', true], ['field', 'string', 'Field to update. Available fields are: event_name, participant_email, event_start, duration', true], ['new_value', 'string', 'New value for the field', true]]],
  ['analytics_get_visitor_information_by_id', 'Returns the analytics data for a given visitor ID.', [['visitor_id', 'string', 'ID of the visitor', true]]],
  ['analytics_create_plot', 'Plots the analytics data for a given time range and value.', [['time_min', 'string', 'Start date of the time range. Date format is "YYYY-MM-DD"', true], ['time_max', 'string', 'End date of the time range. Date format is "YYYY-MM-DD"', true], ['value_to_plot', 'string', 'Value to plot. Available values are: "total_visits", "session_duration_seconds", "user_engaged", "visits_direct", "visits_referral", "visits_search_engine", "visits_social_media"', true], ['plot_type', 'string', 'Type of plot. Can be "bar", "line", "scatter" or "histogram"', true]]],
  ['analytics_total_visits_count', 'Returns the total number of visits within a specified time range.', [['time_min', 'string', 'Start date of the time range. Date format is "YYYY-MM-DD"', false], ['time_max', 'string', 'End date of the time range. Date format is "YYYY-MM-DD"', false]]],
  ['analytics_engaged_users_count', 'Returns the number of engaged users within a specified time range.', [['time_min', 'string', 'Start date of the time range. Date format is "YYYY-MM-DD"', false], ['time_max', 'string', 'End date of the time range. Date format is "YYYY-MM-DD"', false]]],
  ['analytics_traffic_source_count', 'Returns the number of visits from a specific traffic source within a specified time range.', [['time_min', 'string', 'Start date of the time range. Date format is "YYYY-MM-DD"', false], ['time_max', 'string', 'End date of the time range. Date format is "YYYY-MM-DD"', false], ['traffic_source', 'string', 'Traffic source to filter the visits. Available values are: "direct", "referral", "search engine", "social media"', false]]],
  ['analytics_get_average_session_duration', 'Returns the average session duration within a specified time range.', [['time_min', 'string', 'Start date of the time range. Date format is "YYYY-MM-DD"', false], ['time_max', 'string', 'End date of the time range. Date format is "YYYY-MM-DD"', false]]],
  ['project_management_get_task_information_by_id', 'Returns the task information for a given ID.', [['task_id', 'string', '8-digit ID of the task', true], ['field', 'string', 'Field to return. Available fields are: "task_id", "task_name", "assigned_to_email", "list_name", "due_date", "board"', true]]],
  ['project_management_search_tasks', 'Searches for tasks based on the given parameters.', [['task_name', 'string', 'Name of the task', false], ['assigned_to_email', 'string', 'Email address of the person assigned to the task', false], ['list_name', 'string', 'Name of the list the task belongs to', false], ['due_date', 'string', 'Due date of the task in "YYYY-MM-DD" format', false], ['board', 'string', 'Name of the board the task belongs to', false]]],
  ['project_management_create_task', 'Creates a new task.', [['task_name', 'string', 'Name of the task', true], ['assigned_to_email', 'string', 'Email address of the person assigned to the task', true], ['list_name', 'string', 'Name of the list the task belongs to. One of: "Backlog", "In Progress", "In Review", "Completed"', true], ['due_date', 'string', 'Due date of the task in "YYYY-MM-DD" format', true], ['board', 'string', 'Name of the board the task belongs to. One of: "Back end", "Front end", "Design"', true]]],
  ['project_management_delete_task', 'Deletes a task by ID.', [['task_id', 'string', '8-digit ID of the task', true]]],
  ['project_management_update_task', 'Updates a task by ID.', [['task_id', 'string', '8-digit ID of the task', true], ['field', 'string', 'Field to update. Available fields are: "task_name", "assigned_to_email", "list_name", "due_date", "board"', true], ['new_value', 'string', 'New value for the field', true]]],
  ['customer_relationship_manager_search_customers', 'Searches for customers based on the given parameters with pagination support.', [['customer_name', 'string', 'Name of the customer', false], ['customer_email', 'string', 'Email address of the customer', false], ['product_interest', 'string', 'Product interest of the customer', false], ['status', 'string', 'Current status of the customer', false], ['assigned_to_email', 'string', 'Email address of the person assigned to the customer', false], ['last_contact_date_min', 'string', 'Minimum last contact date. Format: "YYYY-MM-DD"', false], ['last_contact_date_max', 'string', 'Maximum last contact date. Format: "YYYY-MM-DD"', false], ['follow_up_by_min', 'string', 'Minimum follow up date. Format: "YYYY-MM-DD"', false], ['follow_up_by_max', 'string', 'Maximum follow up date. Format: "YYYY-MM-DD"', false], ['page', 'integer', 'Page number of results to return', false], ['page_size', 'integer', 'Number of customers per page', false]]],
  ['customer_relationship_manager_update_customer', 'Updates a customer record by ID.', [['customer_id', 'string', 'ID of the customer', true], ['field', 'string', 'Field to update. Available fields are: "customer_name", "assigned_to_email", "customer_email", "customer_phone", "last_contact_date", "product_interest", "status", "notes", "follow_up_by"', true], ['new_value', 'string', 'New value for the field', true]]],
  ['customer_relationship_manager_add_customer', 'Adds a new customer record.', [['customer_name', 'string', 'Name of the customer', true], ['assigned_to_email', 'string', 'Email address of the person assigned to the customer', true], ['status', 'string', 'Current status of the customer. One of: "Qualified", "Won", "Lost", "Lead", "Proposal"', true], ['customer_email', 'string', 'Email address of the customer', false], ['customer_phone', 'string', 'Phone number of the customer', false], ['last_contact_date', 'string', 'The last date the customer was contacted. Format: "YYYY-MM-DD"', false], ['product_interest', 'string', 'Product interest of the customer. One of: "Software", "Hardware", "Services", "Consulting", "Training"', false], ['notes', 'string', 'Notes about the customer', false], ['follow_up_by', 'string', 'Date for the next follow up. Format: "YYYY-MM-DD"', false]]],
  ['customer_relationship_manager_delete_customer', 'Deletes a customer record by ID.', [['customer_id', 'string', 'ID of the customer', true]]],
];

function toolSchemas(): FixtureValue[] {
  return TOOL_SPECS.map(([name, description, params]) => ({
    name,
    parameters: {
      type: 'object',
      properties: Object.fromEntries(params.map(([p, type, d]) => [p, { type, description: d }])),
      required: params.filter(([, , , required]) => required).map(([p]) => p),
      additionalProperties: false,
    },
    strict: false,
    type: 'function',
    description,
  }));
}

const toolsCache = new Map<JsonFormat, RawJson>();
function toolsJson(format: JsonFormat): RawJson {
  let cached = toolsCache.get(format);
  if (!cached) {
    cached = new RawJson(serialize(toolSchemas(), format));
    toolsCache.set(format, cached);
  }
  return cached;
}

export const SYSTEM_PROMPT =
  "Today's date is Thursday, 2023-11-30 and the current time is 23:59:00. Remember the current date and time when answering queries. Meetings must not start before 9am or end after 6pm.";

// ---- tasks ----

export interface FixtureCall {
  name: string;
  /** Object arguments are serialised compactly (as models write them); a string is used verbatim. */
  arguments: Record<string, FixtureValue> | string;
}

export interface FixtureTask {
  id: number;
  category: string;
  prompt: string;
  /** A list of expected calls, or a string (NeMo Gym: nothing may change). */
  groundTruth: FixtureCall[] | string;
  /** Read calls the agent makes first, with their tool outputs (the result inside `{"output": ...}`). */
  reads: { call: FixtureCall; result: FixtureValue }[];
}

const PEOPLE = ['Kofi Mensah', 'Nadia Moreau', 'Carlos Rodriguez', 'Aisha Chen', 'Raj Patel', 'Lena Schmidt', 'Yuki Tanaka', 'Chenwei Zhang', 'Santiago Martinez', 'Amir Ali', 'Sofia Rossi', 'Dakota Thomas'];
const WORDS =
  'quarterly review roadmap budget launch feedback campaign design sprint metrics onboarding renewal contract pipeline forecast retrospective hiring security audit migration deadline invoice partnership analytics dashboard workshop'.split(' ');

function email(person: string): string {
  const [first, last] = person.toLowerCase().split(' ');
  return `${first}.${last}@atlas.com`;
}

function sentence(rng: Random, words: number): string {
  const out: string[] = [];
  for (let k = 0; k < words; k++) out.push(rng.pick(WORDS));
  const text = out.join(' ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

function paragraph(rng: Random, sentences: number): string {
  const out: string[] = [];
  for (let k = 0; k < sentences; k++) out.push(sentence(rng, 6 + rng.int(10)));
  return out.join(' ');
}

function id8(n: number): string {
  return String(n).padStart(8, '0');
}

function emailRecords(rng: Random, count: number, bodySentences: number): FixtureValue[] {
  return Array.from({ length: count }, () => ({
    email_id: id8(rng.int(500)),
    'inbox/outbox': rng.pick(['inbox', 'outbox']),
    'sender/recipient': email(rng.pick(PEOPLE)),
    subject: `Update on ${rng.pick(WORDS)} ${rng.pick(WORDS)}`,
    sent_datetime: `2023-11-${String(1 + rng.int(29)).padStart(2, '0')} ${String(9 + rng.int(9)).padStart(2, '0')}:${String(rng.int(60)).padStart(2, '0')}:00`,
    body: paragraph(rng, bodySentences),
  }));
}

export const CATEGORIES = [
  'workplace_assistant_email',
  'workplace_assistant_calendar',
  'workplace_assistant_analytics',
  'workplace_assistant_project_management',
  'workplace_assistant_customer_relationship_manager',
] as const;

/** One task of the kind workplace_assistant has, in one of the five categories. */
export function makeTask(id: number, rng: Random, options: { bodySentences?: number } = {}): FixtureTask {
  const category = CATEGORIES[id % CATEGORIES.length] as string;
  const person = rng.pick(PEOPLE);
  const first = person.split(' ')[0] as string;
  const bodySentences = options.bodySentences ?? 4;
  switch (category) {
    case 'workplace_assistant_email': {
      const records = emailRecords(rng, 5, bodySentences);
      const target = (records[0] as { email_id: string }).email_id;
      return {
        id,
        category,
        prompt: `Delete my last email from ${first.toLowerCase()}`,
        groundTruth: [{ name: 'email_delete_email', arguments: { email_id: target } }],
        reads: [{ call: { name: 'email_search_emails', arguments: { query: first.toLowerCase() } }, result: { emails: records, pagination: { total_emails: 5, page: 1, page_size: 5, total_pages: 1 } } }],
      };
    }
    case 'workplace_assistant_calendar': {
      const eventId = id8(200 + rng.int(100));
      return {
        id,
        category,
        prompt: `Schedule a 30 minute ${rng.pick(WORDS)} meeting with ${first} on December 5 at 10am`,
        groundTruth: [
          { name: 'calendar_create_event', arguments: { event_name: `${rng.pick(WORDS)} sync`, participant_email: email(person), event_start: '2023-12-05 10:00:00', duration: '30' } },
        ],
        reads: [
          { call: { name: 'company_directory_find_email_address', arguments: { name: first } }, result: [email(person)] },
          { call: { name: 'calendar_search_events', arguments: { query: first, time_min: '2023-12-05 00:00:00' } }, result: { events: [{ event_id: eventId, event_name: `${rng.pick(WORDS)} review`, participant_email: email(person), event_start: '2023-12-05 14:00:00', duration: '60' }], pagination: { total_events: 1, page: 1, page_size: 5, total_pages: 1 } } },
        ],
      };
    }
    case 'workplace_assistant_analytics':
      return {
        id,
        category,
        prompt: `Create a ${rng.pick(['bar', 'line'])} chart of total visits since November ${20 + rng.int(10)}`,
        groundTruth: [{ name: 'analytics_create_plot', arguments: { time_min: '2023-11-24', time_max: '2023-11-30', value_to_plot: 'total_visits', plot_type: 'bar' } }],
        reads: [{ call: { name: 'analytics_total_visits_count', arguments: { time_min: '2023-11-24' } }, result: Object.fromEntries(Array.from({ length: 7 }, (_, d) => [`2023-11-${24 + d}`, 5 + rng.int(20)])) }],
      };
    case 'workplace_assistant_project_management':
      return {
        id,
        category,
        prompt: `Give ${first} a new task called "${rng.pick(WORDS)} ${rng.pick(WORDS)}" on the Design board, due next Friday`,
        groundTruth: [{ name: 'project_management_create_task', arguments: { task_name: `${rng.pick(WORDS)} ${rng.pick(WORDS)}`, assigned_to_email: email(person), list_name: 'Backlog', due_date: '2023-12-08', board: 'Design' } }],
        reads: [{ call: { name: 'company_directory_find_email_address', arguments: { name: first } }, result: [email(person)] }],
      };
    default: {
      const customerId = id8(rng.int(200));
      return {
        id,
        category,
        prompt: `Move ${person} from proposal to won and note that they signed for ${rng.pick(WORDS)}`,
        groundTruth: [
          { name: 'customer_relationship_manager_update_customer', arguments: { customer_id: customerId, field: 'status', new_value: 'Won' } },
          { name: 'customer_relationship_manager_update_customer', arguments: { customer_id: customerId, field: 'notes', new_value: paragraph(rng, 1) } },
        ],
        reads: [
          {
            call: { name: 'customer_relationship_manager_search_customers', arguments: { customer_name: person } },
            result: { customers: [{ customer_id: customerId, assigned_to_email: email(rng.pick(PEOPLE)), customer_name: person, customer_email: null, customer_phone: '+1-555-0100', last_contact_date: '2023-11-20', product_interest: 'Software', status: 'Proposal', notes: paragraph(rng, 2), follow_up_by: '2023-12-04' }], pagination: { total_customers: 1, page: 1, page_size: 5, total_pages: 1 } },
          },
        ],
      };
    }
  }
}

// ---- rollouts ----

export type Outcome = 'pass' | 'wrong-arguments' | 'missing-call' | 'extra-call' | 'tool-error';

export interface RolloutOptions {
  task: FixtureTask;
  outcome?: Outcome;
  taskIndex?: number | null;
  rolloutIndex?: number | null;
  /** Echo `id`, `category`, `environment_name`, `ground_truth` (our resources server does; old files do not). */
  datasetFields?: boolean;
  /** Add `reward_explanation` (by default for rewards below 1 when datasetFields is on). */
  explanation?: boolean;
  reasoning?: boolean;
  agentName?: string | null;
  rng?: Random;
  /** Pad tool outputs until the serialised line is about this many bytes. */
  targetBytes?: number;
  format?: JsonFormat;
  /** Replace the default final assistant message. */
  finalMessage?: string;
  /** Override the reward (for non-binary cases). */
  reward?: number;
  extra?: Record<string, FixtureValue>;
}

function argsText(call: FixtureCall): string {
  return typeof call.arguments === 'string' ? call.arguments : serialize(call.arguments as FixtureValue, 'compact');
}

function groundTruthValue(task: FixtureTask): FixtureValue {
  if (typeof task.groundTruth === 'string') return task.groundTruth;
  // Ground-truth arguments are JSON strings written with Python's default separators.
  return task.groundTruth.map((call) => ({ name: call.name, arguments: typeof call.arguments === 'string' ? call.arguments : serialize(call.arguments as FixtureValue, 'python') }));
}

function wrongArguments(call: FixtureCall, rng: Random): FixtureCall {
  if (typeof call.arguments === 'string') return { name: call.name, arguments: '{}' };
  const args = { ...call.arguments };
  const keys = Object.keys(args);
  const key = keys.find((k) => k.endsWith('_id')) ?? (keys[0] as string);
  const value = args[key];
  args[key] = typeof value === 'string' && /^\d+$/.test(value) ? id8(Number(value) + 1 + rng.int(5)) : `${String(value)} (edited)`;
  return { name: call.name, arguments: args };
}

function explanationFor(task: FixtureTask, outcome: Outcome, predicted: FixtureCall[]): FixtureValue {
  const expected = typeof task.groundTruth === 'string' ? [] : task.groundTruth;
  const target = expected[0];
  const table = target?.name.startsWith('email_')
    ? 'email'
    : target?.name.startsWith('calendar_')
      ? 'calendar'
      : target?.name.startsWith('analytics_')
        ? 'analytics_plots'
        : target?.name.startsWith('project_management_')
          ? 'project_management'
          : 'customer_relationship_manager';
  const key = target && typeof target.arguments === 'object' ? Object.values(target.arguments)[0] ?? null : null;
  const keyText = typeof key === 'string' ? key : null;
  const wrong = predicted.find((c) => c.name === target?.name);
  const wrongKey = wrong && typeof wrong.arguments === 'object' ? Object.values(wrong.arguments)[0] ?? null : null;
  const tables: FixtureValue[] = [];
  if (outcome === 'wrong-arguments' || outcome === 'tool-error') {
    tables.push({
      table,
      added: [{ label: 7, key: typeof wrongKey === 'string' ? wrongKey : null, values: { id: typeof wrongKey === 'string' ? wrongKey : null, status: 'Proposal' } }],
      removed: [{ label: 3, key: keyText, values: { id: keyText, status: 'Won' } }],
      changed: [],
      orderOrLabelsDiffer: false,
      summary: `The ${table} table differs: the predicted calls changed row ${String(wrongKey)} where the ground truth changes row ${String(keyText)}.`,
    });
  } else if (outcome === 'missing-call') {
    tables.push({
      table,
      added: [],
      removed: [],
      changed: [{ key: keyText, expectedLabel: 3, predictedLabel: 3, cells: [{ column: 'status', expected: 'Won', predicted: 'Proposal' }] }],
      orderOrLabelsDiffer: false,
      summary: `The ${table} table differs in 1 row: an expected change was not made.`,
    });
  } else if (outcome === 'extra-call') {
    tables.push({
      table,
      added: [{ label: 12, key: 'extra', values: { id: 'extra', note: 'made by an extra call' } }],
      removed: [],
      changed: [],
      orderOrLabelsDiffer: true,
      summary: `The ${table} table has a row the ground truth does not.`,
    });
  }
  return {
    reward: new PyFloat(0),
    tables,
    skippedPredictedCalls: [],
    skippedGroundTruthCalls: [],
    summary: `Reward 0: ${tables.length === 1 ? '1 table differs' : `${tables.length} tables differ`} after replaying the predicted and the expected calls.`,
  };
}

/** One rollout line as a value (serialise it with `serialize`). */
export function makeRollout(options: RolloutOptions): FixtureValue {
  const rng = options.rng ?? new Random(options.task.id + 1);
  const format = options.format ?? 'python';
  const outcome = options.outcome ?? 'pass';
  const task = options.task;
  const expected = typeof task.groundTruth === 'string' ? [] : task.groundTruth;
  const output: FixtureValue[] = [];
  const respId = rng.hex(48);
  let calls = 0;
  const predicted: FixtureCall[] = [];
  const push = (call: FixtureCall, result: FixtureValue | RawJson, raw?: string) => {
    const callId = `call_${rng.hex(24)}`;
    if (options.reasoning) {
      output.push({ id: `rs_${rng.hex(40)}`, summary: [], type: 'reasoning', content: [{ text: `I should call ${call.name} to ${paragraph(rng, 1).toLowerCase()}`, type: 'reasoning_text' }], encrypted_content: null, status: null });
    }
    output.push({ arguments: argsText(call), call_id: callId, name: call.name, type: 'function_call', id: `fc_${rng.hex(48)}`, status: 'completed' });
    output.push({ call_id: callId, output: raw ?? serialize({ output: result } as FixtureValue, 'compact'), type: 'function_call_output', id: null, status: null });
    calls++;
  };
  for (const read of task.reads) push(read.call, read.result);
  expected.forEach((call, position) => {
    if (outcome === 'missing-call' && position === expected.length - 1) return;
    const made = outcome === 'wrong-arguments' && position === 0 ? wrongArguments(call, rng) : call;
    predicted.push(made);
    if (outcome === 'tool-error' && position === 0) {
      push(made, null, serialize({ output: "Error executing tool '" + made.name + "': unexpected keyword argument 'useless_argument'" }, 'compact'));
    } else {
      push(made, made.name.endsWith('_create_plot') ? 'plots/2023-11-24_2023-11-30_total_visits_bar.png' : made.name.includes('create') || made.name.includes('add') ? id8(300 + rng.int(100)) : 'Done successfully.');
    }
  });
  if (outcome === 'extra-call') {
    const extra: FixtureCall = { name: 'email_send_email', arguments: { recipient: email(rng.pick(PEOPLE)), subject: 'Done', body: 'I have completed the request.' } };
    predicted.push(extra);
    push(extra, 'Email sent successfully.');
  }
  if (options.reasoning) output.push({ id: `rs_${rng.hex(40)}`, summary: [{ text: 'Summarize the result for the user.', type: 'summary_text' }], type: 'reasoning', content: null, encrypted_content: null, status: null });
  output.push({
    id: `msg_${rng.hex(48)}`,
    content: [{ annotations: [], text: options.finalMessage ?? `Done. ${paragraph(rng, 1)}`, type: 'output_text', logprobs: [] }],
    role: 'assistant',
    status: 'completed',
    type: 'message',
  });

  const reward = options.reward ?? (outcome === 'pass' ? 1 : 0);
  const inputTokens = 2200 + rng.int(400) + calls * 150;
  const outputTokens = 25 + rng.int(80) + calls * 20;
  const tools = toolsJson(format);
  const record: Record<string, FixtureValue | undefined> = {
    responses_create_params: {
      background: null,
      include: null,
      input: [
        { content: SYSTEM_PROMPT, role: 'system', type: 'message' },
        { content: task.prompt, role: 'user', type: 'message' },
      ],
      instructions: null,
      max_output_tokens: null,
      max_tool_calls: null,
      metadata: null,
      model: null,
      parallel_tool_calls: false,
      previous_response_id: null,
      prompt: null,
      reasoning: null,
      service_tier: null,
      store: null,
      temperature: new PyFloat(1),
      text: null,
      tool_choice: 'auto',
      tools,
      top_logprobs: null,
      top_p: null,
      truncation: null,
      user: null,
      stream: null,
    },
    response: {
      id: `resp_${respId}`,
      created_at: new PyFloat(1758499694 + rng.int(1000)),
      error: null,
      incomplete_details: null,
      instructions: null,
      metadata: {},
      model: 'gpt-4.1-2025-04-14',
      object: 'response',
      output,
      parallel_tool_calls: false,
      temperature: new PyFloat(1),
      tool_choice: 'auto',
      tools,
      top_p: new PyFloat(1),
      background: false,
      max_output_tokens: null,
      max_tool_calls: null,
      previous_response_id: null,
      prompt: null,
      reasoning: { effort: null, generate_summary: null, summary: null },
      service_tier: 'default',
      status: 'completed',
      text: { format: { type: 'text' }, verbosity: 'medium' },
      top_logprobs: 0,
      truncation: 'disabled',
      usage: {
        input_tokens: inputTokens,
        input_tokens_details: { cached_tokens: 2048 },
        output_tokens: outputTokens,
        output_tokens_details: { reasoning_tokens: options.reasoning ? 40 : 0 },
        total_tokens: inputTokens + outputTokens,
      },
      user: null,
      billing: { payer: 'developer' },
      prompt_cache_key: null,
      safety_identifier: null,
      store: true,
    },
    reward: new PyFloat(reward),
  };
  if (options.datasetFields) {
    record.id = task.id;
    record.category = task.category;
    record.environment_name = 'workplace_assistant';
    record.ground_truth = groundTruthValue(task);
  }
  if (options.explanation ?? (options.datasetFields && reward < 1)) record.reward_explanation = explanationFor(task, outcome, predicted);
  if (options.taskIndex !== undefined && options.taskIndex !== null) record._ng_task_index = options.taskIndex;
  if (options.rolloutIndex !== undefined && options.rolloutIndex !== null) record._ng_rollout_index = options.rolloutIndex;
  if (options.agentName) record.agent_ref = { name: options.agentName };
  Object.assign(record, options.extra ?? {});

  if (options.targetBytes) padToSize(record, options, rng, format);
  return record as FixtureValue;
}

/** Grows the first tool output (a realistic email search result) until the line reaches the target size. */
function padToSize(record: Record<string, FixtureValue | undefined>, options: RolloutOptions, rng: Random, format: JsonFormat): void {
  const target = options.targetBytes as number;
  const size = serialize(record as FixtureValue, format).length;
  if (size >= target) return;
  const response = record.response as { output: FixtureValue[] };
  const emailsPerKb = 1.6;
  const count = Math.max(1, Math.round(((target - size) / 1024) * emailsPerKb));
  const call: FixtureCall = { name: 'email_search_emails', arguments: { query: rng.pick(WORDS), page_size: count } };
  const callId = `call_${rng.hex(24)}`;
  const result = { emails: emailRecords(rng, count, 5), pagination: { total_emails: count, page: 1, page_size: count, total_pages: 1 } };
  response.output.unshift(
    { arguments: argsText(call), call_id: callId, name: call.name, type: 'function_call', id: `fc_${rng.hex(48)}`, status: 'completed' },
    { call_id: callId, output: serialize({ output: result } as FixtureValue, 'compact'), type: 'function_call_output', id: null, status: null },
  );
}

/** The input row of a task, as in `example.jsonl` (what materialized inputs and task files hold). */
export function makeTaskRow(task: FixtureTask, indices?: { taskIndex: number; rolloutIndex: number }): FixtureValue {
  const row: Record<string, FixtureValue> = {
    id: task.id,
    responses_create_params: {
      input: [
        { content: SYSTEM_PROMPT, role: 'system', type: 'message' },
        { content: task.prompt, role: 'user', type: 'message' },
      ],
      tools: toolsJson('python'),
      parallel_tool_calls: false,
      temperature: new PyFloat(1),
    },
    ground_truth: groundTruthValue(task),
    category: task.category,
    environment_name: 'workplace_assistant',
  };
  if (indices) {
    row.agent_ref = { name: 'workplace_assistant_simple_agent' };
    row._ng_task_index = indices.taskIndex;
    row._ng_rollout_index = indices.rolloutIndex;
  }
  return row;
}

export interface RolloutSetOptions {
  tasks: number;
  repeats: number;
  seed?: number;
  /** Probability that a rollout passes. */
  passRate?: number;
  withIndices?: boolean;
  datasetFields?: boolean;
  reasoning?: boolean;
  format?: JsonFormat;
  targetBytes?: number;
  /** Shuffle lines as a concurrent collector writes them (completion order). */
  completionOrder?: boolean;
  agentName?: string;
}

export interface GeneratedSet {
  tasks: FixtureTask[];
  lines: string[];
  rewards: number[];
  /** Per line: the task index it belongs to. */
  taskOfLine: number[];
  /** Materialized input rows (one per rollout, with indices). */
  materializedInputs: string[];
  /** Task rows in task-file form (no indices). */
  taskRows: string[];
}

const FAILING: Outcome[] = ['wrong-arguments', 'missing-call', 'extra-call', 'tool-error'];

export function generateRolloutSet(options: RolloutSetOptions): GeneratedSet {
  const rng = new Random(options.seed ?? 7);
  const passRate = options.passRate ?? 0.6;
  const tasks = Array.from({ length: options.tasks }, (_, id) => makeTask(id, rng));
  const items: { line: string; reward: number; task: number; input: string }[] = [];
  tasks.forEach((task, t) => {
    for (let r = 0; r < options.repeats; r++) {
      const outcome: Outcome = rng.next() < passRate ? 'pass' : rng.pick(FAILING);
      const record = makeRollout({
        task,
        outcome,
        rng,
        taskIndex: options.withIndices ? t : null,
        rolloutIndex: options.withIndices ? r : null,
        datasetFields: options.datasetFields ?? false,
        reasoning: options.reasoning ?? false,
        agentName: options.withIndices ? (options.agentName ?? 'workplace_assistant_simple_agent') : null,
        ...(options.targetBytes ? { targetBytes: options.targetBytes } : {}),
        format: options.format ?? 'python',
      });
      items.push({
        line: serialize(record, options.format ?? 'python'),
        reward: outcome === 'pass' ? 1 : 0,
        task: t,
        input: serialize(makeTaskRow(task, { taskIndex: t, rolloutIndex: r }), 'compact'),
      });
    }
  });
  const materializedInputs = items.map((item) => item.input);
  if (options.completionOrder) {
    for (let k = items.length - 1; k > 0; k--) {
      const j = rng.int(k + 1);
      [items[k], items[j]] = [items[j] as (typeof items)[number], items[k] as (typeof items)[number]];
    }
  }
  return {
    tasks,
    lines: items.map((item) => item.line),
    rewards: items.map((item) => item.reward),
    taskOfLine: items.map((item) => item.task),
    materializedInputs,
    taskRows: tasks.map((task) => serialize(makeTaskRow(task), 'python')),
  };
}

/** A rollout whose every text carries HTML and script payloads; rendering it must run none of them. */
export function xssRollout(): FixtureValue {
  const payload = '<img src=x onerror="window.__pwned=1;document.title=\'pwned\'"><script>window.__pwned=2;document.title="pwned"</script>';
  const task: FixtureTask = {
    id: 9999,
    category: `<b onmouseover="window.__pwned=3">xss</b>`,
    prompt: `Please summarize ${payload}`,
    groundTruth: [{ name: 'email_send_email', arguments: { recipient: '"><script>window.__pwned=4</script>@atlas.com', subject: payload, body: '<iframe srcdoc="<script>parent.__pwned=5</script>">' } }],
    reads: [{ call: { name: 'email_search_emails', arguments: { query: '<svg onload="window.__pwned=6">' } }, result: { emails: [{ email_id: '<script>window.__pwned=7</script>', subject: payload, body: '</pre><script>window.__pwned=8</script>' }] } }],
  };
  return makeRollout({
    task,
    outcome: 'wrong-arguments',
    datasetFields: true,
    explanation: true,
    reasoning: true,
    taskIndex: 9999,
    rolloutIndex: 0,
    agentName: '<script>window.__pwned=9</script>',
    finalMessage: `Here you go: ${payload} <a href="javascript:window.__pwned=10">click</a>`,
    extra: { '<img src=x onerror=window.__pwned=11>': payload },
  });
}

// ---- files ----

export function makeTempDir(prefix = 'gym-viewer-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface WriteOptions {
  /** End the file with a newline (the real example file does not). */
  trailingNewline?: boolean;
  crlf?: boolean;
}

export function jsonlText(lines: readonly string[], options: WriteOptions = {}): string {
  const eol = options.crlf ? '\r\n' : '\n';
  return lines.join(eol) + (options.trailingNewline === false ? '' : eol);
}

export function writeJsonl(path: string, lines: readonly string[], options: WriteOptions = {}): string {
  writeFileSync(path, jsonlText(lines, options));
  return path;
}
