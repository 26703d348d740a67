import { describe, expect, it } from 'vitest';
import { alignCalls, alignmentVerdict, diffArguments, objectMembers, type PlainCall } from '../../../src/core/viewer/call_alignment';

const call = (position: number, name: string, args: Record<string, unknown> | string): PlainCall => ({
  position,
  name,
  arguments: typeof args === 'string' ? args : JSON.stringify(args),
});

describe('diffArguments', () => {
  it('classifies each argument', () => {
    const diffs = diffArguments(
      JSON.stringify({ email_id: '00000259', subject: 'Budget', duration: '60', note: 'x', gone: 'y' }),
      JSON.stringify({ email_id: '00000260', subject: 'BUDGET', duration: 60, note: 'x', added: true }),
    );
    expect(Object.fromEntries(diffs.map((d) => [d.name, d.status]))).toEqual({
      email_id: 'differs',
      subject: 'case',
      duration: 'type',
      note: 'same',
      gone: 'missing',
      added: 'extra',
    });
    const id = diffs.find((d) => d.name === 'email_id');
    expect(id?.segments?.filter((s) => s.op !== 'same').map((s) => [s.op, s.text])).toEqual([
      ['removed', '59'],
      ['added', '60'],
    ]);
  });

  it('ignores key order and number spelling but not values', () => {
    expect(diffArguments('{"a": {"x": 1, "y": 2}}', '{"a": {"y": 2, "x": 1}}')[0]?.status).toBe('same');
    expect(diffArguments('{"a": 1.0}', '{"a": 1}')[0]?.status).toBe('same');
    expect(diffArguments('{"a": [1, 2]}', '{"a": [2, 1]}')[0]?.status).toBe('differs');
  });

  it('compares unparsable arguments as text', () => {
    const [diff] = diffArguments('{"a": 1}', '{"a": 1');
    expect(diff).toMatchObject({ name: '(arguments)', status: 'differs' });
  });

  it('keeps argument values as written', () => {
    expect(objectMembers('{"a": 1.0, "b": 12345678901234567890, "c": "x"}')).toEqual(
      new Map([
        ['a', '1.0'],
        ['b', '12345678901234567890'],
        ['c', '"x"'],
      ]),
    );
    expect(objectMembers('[1]')).toBeNull();
  });
});

describe('alignCalls', () => {
  it('matches identical calls', () => {
    const rows = alignCalls([call(0, 'email_delete_email', { email_id: '1' })], [call(2, 'email_delete_email', { email_id: '1' })]);
    expect(rows.map((r) => r.status)).toEqual(['match']);
    expect(rows[0]?.predicted?.position).toBe(2);
    expect(alignmentVerdict(rows)).toBe('The expected call was made as expected.');
  });

  it('pairs calls of the same tool with different arguments', () => {
    const rows = alignCalls(
      [call(0, 'calendar_update_event', { event_id: '00000252', field: 'event_name', new_value: 'Sync' })],
      [call(1, 'calendar_update_event', { event_id: '00000251', field: 'event_name', new_value: 'Sync' })],
    );
    expect(rows.map((r) => r.status)).toEqual(['differs']);
    expect(rows[0]?.arguments.filter((a) => a.status !== 'same').map((a) => a.name)).toEqual(['event_id']);
    expect(alignmentVerdict(rows)).toBe('0 of 1 expected call matched, 1 with different arguments.');
  });

  it('reports missing and extra calls in order', () => {
    const rows = alignCalls(
      [call(0, 'email_send_email', { recipient: 'a@x.com' }), call(1, 'email_delete_email', { email_id: '5' })],
      [call(1, 'email_send_email', { recipient: 'a@x.com' }), call(2, 'calendar_delete_event', { event_id: '00000001' })],
    );
    expect(rows.map((r) => r.status)).toEqual(['match', 'missing', 'extra']);
    expect(alignmentVerdict(rows)).toBe('1 of 2 expected calls matched, 1 missing, 1 extra call.');
  });

  it('notes calls made in another order', () => {
    const a = call(0, 'customer_relationship_manager_add_customer', { customer_name: 'A' });
    const b = call(1, 'customer_relationship_manager_delete_customer', { customer_id: '00000001' });
    const rows = alignCalls([a, b], [{ ...b, position: 1 }, { ...a, position: 2 }]);
    const moved = rows.filter((r) => r.notes.some((n) => n.includes('order')));
    expect(moved.length).toBeGreaterThanOrEqual(2);
  });

  it('explains what the verifier does with odd predicted calls', () => {
    const rows = alignCalls([], [call(1, 'email_send_email', '{not json'), { ...call(2, 'customer_relationship_manager_add_customer', { customer_name: 'A', notes: null }), failed: true }]);
    expect(rows.map((r) => r.status)).toEqual(['extra', 'extra']);
    expect(rows[0]?.notes.join(' ')).toMatch(/not a JSON object/);
    expect(rows[1]?.notes.join(' ')).toMatch(/Null arguments/);
    expect(rows[1]?.notes.join(' ')).toMatch(/reported an error/);
    expect(alignmentVerdict(rows)).toBe('No state changes expected, but the rollout made 2 state-changing calls.');
  });

  it('treats a case-only difference as a match, with a note', () => {
    const rows = alignCalls([call(0, 'calendar_create_event', { event_name: 'Team Sync' })], [call(1, 'calendar_create_event', { event_name: 'team sync' })]);
    expect(rows[0]?.status).toBe('match');
    expect(rows[0]?.notes.join(' ')).toMatch(/Letter case/);
  });
});
