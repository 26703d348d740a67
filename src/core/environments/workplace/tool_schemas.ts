/**
 * The 27 function-tool schemas sent to the model, in NeMo Gym's order and with its exact wording
 * (WORKPLACE_TOOLS.md §5). Property order is also the Python parameter order of each tool method.
 */
export interface ToolParameterSchema {
  type: 'string' | 'integer';
  description: string;
}

export interface ToolSchema {
  type: 'function';
  name: string;
  description: string;
  parameters: {
    type: 'object';
    properties: Record<string, ToolParameterSchema>;
    required: string[];
    additionalProperties: false;
  };
  strict: false;
}

type ParameterRow = readonly [name: string, type: 'string' | 'integer', description: string];

function tool(name: string, description: string, required: readonly string[], parameters: readonly ParameterRow[]): ToolSchema {
  const properties: Record<string, ToolParameterSchema> = {};
  for (const [parameter, type, parameterDescription] of parameters) properties[parameter] = { type, description: parameterDescription };
  return {
    type: 'function',
    name,
    description,
    parameters: { type: 'object', properties, required: [...required], additionalProperties: false },
    strict: false,
  };
}

const DATE_RANGE: readonly ParameterRow[] = [
  ['time_min', 'string', 'Start date of the time range. Date format is YYYY-MM-DD'],
  ['time_max', 'string', 'End date of the time range. Date format is YYYY-MM-DD'],
];

export const WORKPLACE_TOOL_SCHEMAS: readonly ToolSchema[] = [
  tool('company_directory_find_email_address', 'Finds all email addresses containing the given name (case-insensitive search).', [], [
    ['name', 'string', 'Name or partial name to search for in email addresses'],
  ]),

  tool('email_get_email_information_by_id', 'Retrieves specific details of an email by its ID.', ['email_id', 'field'], [
    ['email_id', 'string', 'Unique ID of the email'],
    ['field', 'string', "Specific field to return. Available fields: 'email_id', 'inbox/outbox', 'sender/recipient', 'subject', 'sent_datetime', 'body'"],
  ]),
  tool(
    'email_search_emails',
    'Searches for emails matching the given query across subject, body, or sender fields. The function matches an email if all words in the query appear in any of these fields.',
    [],
    [
      ['query', 'string', 'Search query, matching terms in subject, body, or sender/recipient fields'],
      ['date_min', 'string', "Lower date limit for the email's sent date (inclusive). Format: YYYY-MM-DD"],
      ['date_max', 'string', "Upper date limit for the email's sent date (inclusive). Format: YYYY-MM-DD"],
      ['page', 'integer', 'Page number of results to return'],
      ['page_size', 'integer', 'Number of emails per page'],
    ],
  ),
  tool('email_send_email', 'Sends an email to the specified recipient.', ['recipient', 'subject', 'body'], [
    ['recipient', 'string', 'Email address of the recipient'],
    ['subject', 'string', 'Subject line of the email'],
    ['body', 'string', 'Body content of the email'],
  ]),
  tool('email_delete_email', 'Deletes an email by its ID.', ['email_id'], [['email_id', 'string', 'Unique ID of the email to be deleted']]),
  tool('email_forward_email', 'Forwards an email to the specified recipient.', ['email_id', 'recipient'], [
    ['email_id', 'string', 'Unique ID of the email to be forwarded'],
    ['recipient', 'string', 'Email address of the recipient'],
  ]),
  tool('email_reply_email', 'Replies to an email by its ID.', ['email_id', 'body'], [
    ['email_id', 'string', 'Unique ID of the email to be replied'],
    ['body', 'string', 'Body content of the email'],
  ]),

  tool('calendar_get_event_information_by_id', 'Returns the event for a given ID.', ['event_id', 'field'], [
    ['event_id', 'string', '8-digit ID of the event'],
    ['field', 'string', "Field to return. Available fields are: 'event_id', 'event_name', 'participant_email', 'event_start', 'duration'"],
  ]),
  tool('calendar_search_events', 'Returns the events for a given query with pagination support.', [], [
    ['query', 'string', 'Query to search for. Terms will be matched in the event_name and participant_email fields'],
    ['time_min', 'string', "Lower bound (inclusive) for an event's end time to filter by. Format: YYYY-MM-DD HH:MM:SS"],
    ['time_max', 'string', "Upper bound (inclusive) for an event's start time to filter by. Format: YYYY-MM-DD HH:MM:SS"],
    ['page', 'integer', 'Page number of results to return'],
    ['page_size', 'integer', 'Number of events per page'],
  ]),
  tool('calendar_create_event', 'Creates a new event.', ['event_name', 'participant_email', 'event_start', 'duration'], [
    ['event_name', 'string', 'Name of the event'],
    ['participant_email', 'string', 'Email of the participant'],
    ['event_start', 'string', 'Start time of the event. Format: YYYY-MM-DD HH:MM:SS'],
    ['duration', 'string', 'Duration of the event in minutes'],
  ]),
  tool('calendar_delete_event', 'Deletes an event.', ['event_id'], [['event_id', 'string', '8-digit ID of the event']]),
  tool('calendar_update_event', 'Updates an event.', ['event_id', 'field', 'new_value'], [
    ['event_id', 'string', '8-digit ID of the event'],
    ['field', 'string', "Field to update. Available fields are: 'event_name', 'participant_email', 'event_start', 'duration'"],
    ['new_value', 'string', 'New value for the field'],
  ]),

  tool('analytics_get_visitor_information_by_id', 'Returns the analytics data for a given visitor ID.', ['visitor_id'], [
    ['visitor_id', 'string', 'ID of the visitor'],
  ]),
  tool('analytics_create_plot', 'Plots the analytics data for a given time range and value.', ['time_min', 'time_max', 'value_to_plot', 'plot_type'], [
    ...DATE_RANGE,
    [
      'value_to_plot',
      'string',
      "Value to plot. Available values are: 'total_visits', 'session_duration_seconds', 'user_engaged', 'visits_direct', 'visits_referral', 'visits_search_engine', 'visits_social_media'",
    ],
    ['plot_type', 'string', "Type of plot. Can be 'bar', 'line', 'scatter' or 'histogram'"],
  ]),
  tool('analytics_total_visits_count', 'Returns the total number of visits within a specified time range.', [], DATE_RANGE),
  tool('analytics_engaged_users_count', 'Returns the number of engaged users within a specified time range.', [], DATE_RANGE),
  tool('analytics_traffic_source_count', 'Returns the number of visits from a specific traffic source within a specified time range.', [], [
    ...DATE_RANGE,
    ['traffic_source', 'string', "Traffic source to filter the visits. Available values are: 'direct', 'referral', 'search engine', 'social media'"],
  ]),
  tool('analytics_get_average_session_duration', 'Returns the average session duration within a specified time range.', [], DATE_RANGE),

  tool('project_management_get_task_information_by_id', 'Returns the task information for a given ID.', ['task_id', 'field'], [
    ['task_id', 'string', '8-digit ID of the task'],
    ['field', 'string', "Field to return. Available fields are: 'task_id', 'task_name', 'assigned_to_email', 'list_name', 'due_date', 'board'"],
  ]),
  tool('project_management_search_tasks', 'Searches for tasks based on the given parameters.', [], [
    ['task_name', 'string', 'Name of the task'],
    ['assigned_to_email', 'string', 'Email address of the person assigned to the task'],
    ['list_name', 'string', 'Name of the list the task belongs to'],
    ['due_date', 'string', 'Due date of the task in YYYY-MM-DD format'],
    ['board', 'string', 'Name of the board the task belongs to'],
  ]),
  tool('project_management_create_task', 'Creates a new task.', ['task_name', 'assigned_to_email', 'list_name', 'due_date', 'board'], [
    ['task_name', 'string', 'Name of the task'],
    ['assigned_to_email', 'string', 'Email address of the person assigned to the task'],
    ['list_name', 'string', "Name of the list the task belongs to. One of: 'Backlog', 'In Progress', 'In Review', 'Completed'"],
    ['due_date', 'string', 'Due date of the task in YYYY-MM-DD format'],
    ['board', 'string', "Name of the board the task belongs to. One of: 'Back end', 'Front end', 'Design'"],
  ]),
  tool('project_management_delete_task', 'Deletes a task by ID.', ['task_id'], [['task_id', 'string', '8-digit ID of the task']]),
  tool('project_management_update_task', 'Updates a task by ID.', ['task_id', 'field', 'new_value'], [
    ['task_id', 'string', '8-digit ID of the task'],
    ['field', 'string', "Field to update. Available fields are: 'task_name', 'assigned_to_email', 'list_name', 'due_date', 'board'"],
    ['new_value', 'string', 'New value for the field'],
  ]),

  tool('customer_relationship_manager_search_customers', 'Searches for customers based on the given parameters with pagination support.', [], [
    ['customer_name', 'string', 'Name of the customer'],
    ['customer_email', 'string', 'Email address of the customer'],
    ['product_interest', 'string', 'Product interest of the customer'],
    ['status', 'string', 'Current status of the customer'],
    ['assigned_to_email', 'string', 'Email address of the person assigned to the customer'],
    ['last_contact_date_min', 'string', 'Minimum last contact date. Format: YYYY-MM-DD'],
    ['last_contact_date_max', 'string', 'Maximum last contact date. Format: YYYY-MM-DD'],
    ['follow_up_by_min', 'string', 'Minimum follow up date. Format: YYYY-MM-DD'],
    ['follow_up_by_max', 'string', 'Maximum follow up date. Format: YYYY-MM-DD'],
    ['page', 'integer', 'Page number of results to return'],
    ['page_size', 'integer', 'Number of customers per page'],
  ]),
  tool('customer_relationship_manager_update_customer', 'Updates a customer record by ID.', ['customer_id', 'field', 'new_value'], [
    ['customer_id', 'string', 'ID of the customer'],
    [
      'field',
      'string',
      "Field to update. Available fields are: 'customer_name', 'assigned_to_email', 'customer_email', 'customer_phone', 'last_contact_date', 'product_interest', 'status', 'notes', 'follow_up_by'",
    ],
    ['new_value', 'string', 'New value for the field'],
  ]),
  tool('customer_relationship_manager_add_customer', 'Adds a new customer record.', ['customer_name', 'assigned_to_email', 'status'], [
    ['customer_name', 'string', 'Name of the customer'],
    ['assigned_to_email', 'string', 'Email address of the person assigned to the customer'],
    ['status', 'string', "Current status of the customer. One of: 'Qualified', 'Won', 'Lost', 'Lead', 'Proposal'"],
    ['customer_email', 'string', 'Email address of the customer'],
    ['customer_phone', 'string', 'Phone number of the customer'],
    ['last_contact_date', 'string', 'The last date the customer was contacted. Format: YYYY-MM-DD'],
    ['product_interest', 'string', "Product interest of the customer. One of: 'Software', 'Hardware', 'Services', 'Consulting', 'Training'"],
    ['notes', 'string', 'Notes about the customer'],
    ['follow_up_by', 'string', 'Date for the next follow up. Format: YYYY-MM-DD'],
  ]),
  tool('customer_relationship_manager_delete_customer', 'Deletes a customer record by ID.', ['customer_id'], [
    ['customer_id', 'string', 'ID of the customer'],
  ]),
];

/** Parameter names of a tool in Python declaration order (without `self`). */
export function toolParameterNames(schema: ToolSchema): string[] {
  return Object.keys(schema.parameters.properties);
}
