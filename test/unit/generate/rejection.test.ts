import { beforeAll, describe, expect, it } from 'vitest';
import { createWorkplaceEnvironment, loadWorkplaceTables, type WorkplaceEnvironment } from '../../../src/core/environments/workplace';
import { buildEntities, call, generateTasks, keepsEntities, paraphraseQueries, rejectCandidate, toolOutputError, type Candidate, type Entities } from '../../../src/core/generate';
import { duplicateKeys } from '../../../src/core/generate/rejection';
import { WORKPLACE_CSV_DIR } from '../../support/paths';

let environment: WorkplaceEnvironment;
let entities: Entities;

beforeAll(async () => {
  environment = createWorkplaceEnvironment(await loadWorkplaceTables(WORKPLACE_CSV_DIR));
  entities = buildEntities(environment.tables);
});

function candidate(calls: Candidate['calls'], extra: Partial<Candidate> = {}): Candidate {
  return { pattern: 'test.crafted', category: 'email', kind: calls.length > 0 ? 'action' : 'no_action', query: 'crafted query', entities: [], calls, descriptions: [], ...extra };
}

const emailId = () => entities.emails[0]!.id;
const customer = () => entities.customers[0]!;

describe('rejections, each by a crafted candidate', () => {
  it('keeps a well-formed candidate', async () => {
    expect(await rejectCandidate(environment, entities, candidate([call('email_delete_email', { email_id: emailId() })]), new Set())).toBeNull();
  });

  it('unknown_id: a placeholder id that is not in the tables', async () => {
    const rejection = await rejectCandidate(environment, entities, candidate([call('email_delete_email', { email_id: '99999999' })]), new Set());
    expect(rejection?.reason).toBe('unknown_id');
    expect(rejection?.detail).toContain('99999999');
  });

  it('ambiguous_description: the query names more than one entity', async () => {
    const rejection = await rejectCandidate(environment, entities, candidate([call('email_delete_email', { email_id: emailId() })], { descriptions: [{ text: "the task 'X'", matches: 5 }] }), new Set());
    expect(rejection?.reason).toBe('ambiguous_description');
  });

  it('tool_error: a call the tool refuses (an invalid status; an assignee without tasks)', async () => {
    const badStatus = await rejectCandidate(environment, entities, candidate([call('customer_relationship_manager_update_customer', { customer_id: customer().id, field: 'status', new_value: 'Maybe' })]), new Set());
    expect(badStatus?.reason).toBe('tool_error');
    expect(badStatus?.detail).toContain('Status not valid');
    const outsider = await rejectCandidate(
      environment,
      entities,
      candidate([call('project_management_create_task', { task_name: 'X', assigned_to_email: 'nobody@atlas.com', list_name: 'Backlog', due_date: '2023-12-01', board: 'Design' })]),
      new Set(),
    );
    expect(outsider?.reason).toBe('tool_error');
  });

  it('no_change: a write that leaves the tables as they were', async () => {
    const rejection = await rejectCandidate(environment, entities, candidate([call('customer_relationship_manager_update_customer', { customer_id: customer().id, field: 'status', new_value: customer().status })]), new Set());
    expect(rejection?.reason).toBe('no_change');
    // Case only: the verifier lower-cases names, so this changes nothing it can see.
    const event = entities.events[0]!;
    const cased = await rejectCandidate(environment, entities, candidate([call('calendar_update_event', { event_id: event.id, field: 'event_name', new_value: event.name.toUpperCase() })]), new Set());
    expect(cased?.reason).toBe('no_change');
  });

  it('redundant_call: a call whose removal leaves the verified outcome the same', async () => {
    const c = customer();
    const other = c.status === 'Won' ? 'Lost' : 'Won';
    const third = ['Qualified', 'Lead', 'Proposal'].find((s) => s !== c.status)!;
    const rejection = await rejectCandidate(
      environment,
      entities,
      candidate([
        call('customer_relationship_manager_update_customer', { customer_id: c.id, field: 'status', new_value: other }),
        call('customer_relationship_manager_update_customer', { customer_id: c.id, field: 'status', new_value: third }),
      ]),
      new Set(),
    );
    expect(rejection?.reason).toBe('redundant_call');
    expect(rejection?.detail).toContain('without call 1');
  });

  it('duplicate_task: the same query or the same ground truth as a kept task', async () => {
    const kept = candidate([call('email_delete_email', { email_id: emailId() })], { query: 'Delete it' });
    const seen = new Set(duplicateKeys(kept));
    expect((await rejectCandidate(environment, entities, candidate([call('email_delete_email', { email_id: emailId() })], { query: 'Another wording' }), seen))?.reason).toBe('duplicate_task');
    expect((await rejectCandidate(environment, entities, candidate([], { query: 'delete it' }), seen))?.reason).toBe('duplicate_task');
    expect(await rejectCandidate(environment, entities, candidate([], { query: 'Something else' }), seen)).toBeNull();
  });

  it('natural runs reject for the reasons the tables give (ambiguity, no change, duplicates, refused assignees)', async () => {
    const { stats } = await generateTasks(environment, { numTasks: 400, seed: 1 });
    expect(stats.rejections.ambiguous_description).toBeGreaterThan(0);
    expect(stats.rejections.no_change).toBeGreaterThan(0);
    expect(stats.rejections.duplicate_task).toBeGreaterThan(0);
    expect(stats.examples.ambiguous_description?.detail).toMatch(/names \d+ entities/);
  });
});

describe('tool outputs', () => {
  it('success is the exact success answer; every failure text is an error', () => {
    expect(toolOutputError('email_delete_email', 'Email deleted successfully.')).toBeNull();
    expect(toolOutputError('email_delete_email', 'Email not found.')).toBe('Email not found.');
    expect(toolOutputError('calendar_create_event', '00000301')).toBeNull();
    expect(toolOutputError('calendar_create_event', 'Invalid event_start format. Expected YYYY-MM-DD HH:MM:SS.')).not.toBeNull();
    expect(toolOutputError('analytics_create_plot', 'plots/2023-11-01_2023-11-02_total_visits_bar.png')).toBeNull();
    expect(toolOutputError('email_send_email', "Error executing tool 'email_send_email': boom")).not.toBeNull();
  });
});

describe('paraphrase filter', () => {
  const original = candidate([], { query: "Reply to Nia's last email about 'Budget' with 'Thanks'", entities: ['Nia', 'Budget', 'Thanks'] });

  it('keeps a rewrite only when every entity is still in it', () => {
    expect(keepsEntities(original, "Could you answer nia's latest 'Budget' email saying 'Thanks'?")).toBe(true);
    expect(keepsEntities(original, "Could you answer Nia's latest email saying 'Thanks'?")).toBe(false);
  });

  it('counts rewrites, rejected rewrites and failures, and keeps the original when a rewrite is not used', async () => {
    const answers = ["Please answer Nia's newest 'Budget' email with 'Thanks'.", 'Answer the email.', null];
    let i = 0;
    const rewriter = async () => {
      const answer = answers[i++];
      if (answer === null || answer === undefined) throw new Error('endpoint down');
      return answer;
    };
    const { queries, stats } = await paraphraseQueries([original, original, original], rewriter, 1);
    expect(queries).toEqual(["Please answer Nia's newest 'Budget' email with 'Thanks'.", original.query, original.query]);
    expect(stats).toEqual({ enabled: true, rewritten: 1, paraphrase_rejected: 1, failed: 1 });
  });
});
