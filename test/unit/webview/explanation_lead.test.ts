import { describe, expect, it } from 'vitest';
import { explanationLead } from '../../../webview/rollout_detail';

describe('explanationLead', () => {
  it('leaves out what the tables and the skipped-call lists below it say again', () => {
    const tables = [{ summary: 'email: row 1 status is Won but the ground truth expects Lost.' }, { summary: 'calendar: the predicted calls leave event 7 that the ground truth does not have.' }];
    const summary = `Reward 0: 2 of the five compared tables differ from the ground truth's end state. ${tables[0]!.summary} ${tables[1]!.summary} The response made no function calls. The replay skipped 1 predicted call: #2 email_send (unknown keyword argument 'cc').`;
    expect(explanationLead({ summary, tables })).toBe("Reward 0: 2 of the five compared tables differ from the ground truth's end state. The response made no function calls.");
  });

  it('keeps a summary that repeats nothing', () => {
    expect(explanationLead({ summary: 'Reward 1: all five tables match.', tables: [] })).toBe('Reward 1: all five tables match.');
  });
});
