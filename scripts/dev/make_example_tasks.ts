/**
 * Writes examples/workplace_assistant/tasks.jsonl: tasks of our own writing in NeMo Gym's input-row format,
 * one or more per toolkit, each with a ground truth the oracle agent scores 1.0.
 * Run: node scripts/run-bench.mjs scripts/dev/make_example_tasks.ts
 */
import { writeFileSync } from 'node:fs';
import { WORKPLACE_TOOL_SCHEMAS } from '../../src/core/environments/workplace/tool_schemas';

const SYSTEM_PROMPT =
  "Today's date is Thursday, 2023-11-30 and the current time is 23:59:00. Remember the current date and time when answering queries. Meetings must not start before 9am or end after 6pm.";

type Call = [name: string, args: Record<string, string>];

const TASKS: Array<{ category: string; prompt: string; calls: Call[] }> = [
  {
    category: 'workplace_assistant_email',
    prompt: "Email Nia Johnson with the subject 'Design review' and the body 'Can we review the logo drafts on Monday?'",
    calls: [['email_send_email', { recipient: 'nia.johnson@atlas.com', subject: 'Design review', body: 'Can we review the logo drafts on Monday?' }]],
  },
  {
    category: 'workplace_assistant_email',
    prompt: "Forward Nia's most recent email, 'Update on project checkpoint', to Kofi.",
    calls: [['email_forward_email', { email_id: '00000066', recipient: 'kofi.mensah@atlas.com' }]],
  },
  {
    category: 'workplace_assistant_email',
    prompt: "Reply to Chenwei's email 'Update on Annual Budget Planning Session' from October 1 with 'Happy to help - let us talk tomorrow.'",
    calls: [['email_reply_email', { email_id: '00000353', body: 'Happy to help - let us talk tomorrow.' }]],
  },
  {
    category: 'workplace_assistant_calendar',
    prompt: "Book a 30-minute meeting called 'Budget sync' with Amir on December 6 at 10am.",
    calls: [['calendar_create_event', { event_name: 'Budget sync', participant_email: 'amir.ali@atlas.com', event_start: '2023-12-06 10:00:00', duration: '30' }]],
  },
  {
    category: 'workplace_assistant_calendar',
    prompt: 'Move the Digital Transformation Conference on December 5 so that it starts at 2pm.',
    calls: [['calendar_update_event', { event_id: '00000064', field: 'event_start', new_value: '2023-12-05 14:00:00' }]],
  },
  {
    category: 'workplace_assistant_analytics',
    prompt: 'Make a line chart of engaged users for November 2023 (November 1 to November 30).',
    calls: [['analytics_create_plot', { time_min: '2023-11-01', time_max: '2023-11-30', value_to_plot: 'user_engaged', plot_type: 'line' }]],
  },
  {
    category: 'workplace_assistant_project_management',
    prompt: "Yuki started on 'Update Node.js to latest version'; move that task to In Progress.",
    calls: [['project_management_update_task', { task_id: '00000027', field: 'list_name', new_value: 'In Progress' }]],
  },
  {
    category: 'workplace_assistant_project_management',
    prompt: "Create a Design board task 'Refresh onboarding illustrations' for Leila in the Backlog, due 2023-12-08.",
    calls: [['project_management_create_task', { task_name: 'Refresh onboarding illustrations', assigned_to_email: 'leila.azizi@atlas.com', list_name: 'Backlog', due_date: '2023-12-08', board: 'Design' }]],
  },
  {
    category: 'workplace_assistant_customer_relationship_manager',
    prompt: 'Morgan Anderson signed the contract. Mark them as won.',
    calls: [['customer_relationship_manager_update_customer', { customer_id: '00000129', field: 'status', new_value: 'Won' }]],
  },
  {
    category: 'workplace_assistant_customer_relationship_manager',
    prompt: "Add Riley Chen as a new lead for Raj Patel; they are interested in hardware.",
    calls: [['customer_relationship_manager_add_customer', { customer_name: 'Riley Chen', assigned_to_email: 'raj.patel@atlas.com', status: 'Lead', product_interest: 'Hardware' }]],
  },
  {
    category: 'workplace_assistant_multi_domain',
    prompt: "Nia's email 'Task Update on Design logo for website' is handled: delete it, and move the Morgan Thompson deal to Lost.",
    calls: [
      ['email_delete_email', { email_id: '00000403' }],
      ['customer_relationship_manager_update_customer', { customer_id: '00000033', field: 'status', new_value: 'Lost' }],
    ],
  },
  {
    category: 'workplace_assistant_company_directory',
    prompt: "What is Olga's email address? Just tell me, don't change anything.",
    calls: [],
  },
];

const lines = TASKS.map((task, id) =>
  JSON.stringify({
    id,
    responses_create_params: {
      input: [
        { role: 'system', content: SYSTEM_PROMPT },
        { role: 'user', content: task.prompt },
      ],
      tools: WORKPLACE_TOOL_SCHEMAS,
      parallel_tool_calls: false,
      temperature: 1.0,
    },
    ground_truth: task.calls.map(([name, args]) => ({ name, arguments: JSON.stringify(args) })),
    category: task.category,
    environment_name: 'workplace_assistant',
  }),
);
writeFileSync('examples/workplace_assistant/tasks.jsonl', lines.join('\n') + '\n');
console.log(`wrote ${lines.length} tasks`);
