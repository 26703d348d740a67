import { beforeAll, describe, expect, test } from 'vitest';
import type { FunctionCall, WorkplaceEnvironment } from '../../../../src/core/environments/workplace';
import { RewardExplanation } from '../../../../src/core/schema/reward_explanation';
import { workplaceEnvironment } from './shared_data';
import { answeredNow } from '../../../support/answered_now';

function call(name: string, args: Record<string, unknown>): FunctionCall {
  return { name, arguments: JSON.stringify(args) };
}

const send = (recipient: string, subject = 'Hello', body = 'Body'): FunctionCall => call('email_send_email', { recipient, subject, body });
const deleteEmail = (id: string): FunctionCall => call('email_delete_email', { email_id: id });
const updateStatus = (id: string, status: string): FunctionCall =>
  call('customer_relationship_manager_update_customer', { customer_id: id, field: 'status', new_value: status });

let env: WorkplaceEnvironment;
beforeAll(async () => {
  env = await workplaceEnvironment();
});

function explain(predicted: FunctionCall[], groundTruth: FunctionCall[] | string): RewardExplanation {
  const result = answeredNow(env.verify(predicted, groundTruth));
  expect(RewardExplanation.parse(result.explanation)).toEqual(result.explanation);
  expect(result.explanation.reward).toBe(result.reward);
  return result.explanation;
}

describe('reward explanation', () => {
  test('a reward of 1 lists no tables', () => {
    const explanation = explain([send('x@y.com')], [send('X@Y.COM', 'HELLO', 'BODY')]);
    expect(explanation.reward).toBe(1);
    expect(explanation.tables).toEqual([]);
    expect(explanation.summary).toMatch(/^Reward 1/);
  });

  test('a changed cell names the row, the column and both stored values', () => {
    const explanation = explain([updateStatus('00000042', 'Lost')], [updateStatus('00000042', 'Won')]);
    expect(explanation.reward).toBe(0);
    expect(explanation.tables).toHaveLength(1);
    const table = explanation.tables[0];
    expect(table?.table).toBe('customer_relationship_manager');
    expect(table?.added).toEqual([]);
    expect(table?.removed).toEqual([]);
    expect(table?.orderOrLabelsDiffer).toBe(false);
    expect(table?.changed).toEqual([{ key: '00000042', expectedLabel: 65, predictedLabel: 65, cells: [{ column: 'status', expected: 'Won', predicted: 'Lost' }] }]);
    expect(table?.summary).toContain("customer_relationship_manager: row 00000042 status is 'Lost' but the ground truth expects 'Won'");
    expect(explanation.summary).toContain(table?.summary);
  });

  test('an added row (predicted end state has a row the ground truth lacks)', () => {
    const explanation = explain([send('x@y.com')], []);
    const table = explanation.tables[0];
    expect(table?.table).toBe('email');
    expect(table?.added).toHaveLength(1);
    expect(table?.added[0]).toMatchObject({ label: 500, key: '500', values: { 'sender/recipient': 'x@y.com', subject: 'Hello', 'inbox/outbox': 'outbox' } });
    expect(table?.removed).toEqual([]);
    expect(table?.summary).toContain("row 500 (sender/recipient 'x@y.com', subject 'Hello') that the ground truth does not have");
  });

  test('a removed row (the ground truth has a row the predicted end state lacks)', () => {
    const explanation = explain([deleteEmail('00000057')], []);
    const table = explanation.tables[0];
    expect(table?.added).toEqual([]);
    expect(table?.removed).toHaveLength(1);
    expect(table?.removed[0]?.key).toBe('00000057');
    expect(table?.orderOrLabelsDiffer).toBe(false);
    expect(table?.summary).toContain('the ground truth has row 00000057');
  });

  test('same rows with different labels (send then delete vs delete then send)', () => {
    const explanation = explain([deleteEmail('00000057'), send('x@y.com')], [send('x@y.com'), deleteEmail('00000057')]);
    expect(explanation.reward).toBe(0);
    const table = explanation.tables[0];
    expect(table).toMatchObject({ table: 'email', added: [], removed: [], changed: [], orderOrLabelsDiffer: true });
    expect(table?.summary).toMatch(/same values, but their row labels or order differ/);
  });

  test('plots created in another order', () => {
    const plot = (value: string): FunctionCall =>
      call('analytics_create_plot', { time_min: '2023-11-01', time_max: '2023-11-30', value_to_plot: value, plot_type: 'bar' });
    const explanation = explain([plot('total_visits'), plot('user_engaged')], [plot('user_engaged'), plot('total_visits')]);
    const table = explanation.tables[0];
    expect(table?.table).toBe('analytics_plots');
    expect(table?.changed).toHaveLength(2);
    expect(table?.changed[0]?.cells[0]).toEqual({
      column: 'file_path',
      expected: 'plots/2023-11-01_2023-11-30_user_engaged_bar.png',
      predicted: 'plots/2023-11-01_2023-11-30_total_visits_bar.png',
    });
  });

  test('a type difference (int 30 vs "30") is shown with the stored values and noted', () => {
    const create = (duration: unknown): FunctionCall =>
      call('calendar_create_event', { event_name: 'A', participant_email: 'a@b.com', event_start: '2023-12-05 10:00:00', duration });
    const explanation = explain([create(30)], [create('30')]);
    const table = explanation.tables[0];
    expect(table?.changed).toEqual([{ key: '00000300', expectedLabel: 0, predictedLabel: 0, cells: [{ column: 'duration', expected: '30', predicted: 30 }] }]);
    expect(table?.summary).toContain("duration is 30 but the ground truth expects '30' (a type difference");
  });

  test('a difference in letter case only matters in status, list_name and board', () => {
    const add = (status: string): FunctionCall =>
      call('customer_relationship_manager_add_customer', { customer_name: 'N', assigned_to_email: 'raj.patel@atlas.com', status });
    const explanation = explain([add('lead')], [add('Lead')]);
    expect(explanation.tables[0]?.summary).toContain('only the letter case differs, and status is compared without lower-casing');
  });

  test('skipped calls on both sides carry the swallowed exception', () => {
    const explanation = explain(
      [{ name: 'email_send_email', arguments: '{bad json' }, call('nope', {}), call('email_send_email', { recipient: 'x@y.com', subject: 'S', body: 'B', cc: 'z' })],
      [{ name: 'email_delete_email', arguments: '[1]' }],
    );
    expect(explanation.skippedPredictedCalls).toEqual([
      { index: 0, name: 'email_send_email', reason: 'JSONDecodeError: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)' },
      { index: 1, name: 'nope', reason: "KeyError: 'nope'" },
      { index: 2, name: 'email_send_email', reason: "TypeError: EmailTool.send_email() got an unexpected keyword argument 'cc'" },
    ]);
    expect(explanation.skippedGroundTruthCalls).toEqual([
      { index: 0, name: 'email_delete_email', reason: 'TypeError: EmailTool.delete_email() argument after ** must be a mapping, not list' },
    ]);
    expect(explanation.reward).toBe(1);
    expect(explanation.summary).toContain('The replay skipped 3 predicted calls');
    expect(explanation.summary).toContain('The replay skipped 1 ground-truth call');
  });

  test('a ground truth given as a string expects the initial state', () => {
    const explanation = explain([send('x@y.com')], 'anything');
    expect(explanation.reward).toBe(0);
    expect(explanation.summary).toContain('The ground truth is a string');
    expect(explanation.skippedGroundTruthCalls).toEqual([]);
  });
});
