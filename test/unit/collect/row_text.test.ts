import { describe, expect, it } from 'vitest';
import { assignMembers } from '../../../src/core/collect/row_text';

describe('assignMembers', () => {
  it('replaces an existing member in place and appends new ones in order, leaving the rest of the text alone', () => {
    const text = '{"reward":1.0,"ng_trajectory":{"a":[1,{"b":"}"}]},"x":"y\\"z"}';
    expect(assignMembers(text, [['_ng_task_index', '3'], ['ng_trajectory', '{"new":1.0}']])).toBe('{"reward":1.0,"ng_trajectory":{"new":1.0},"x":"y\\"z","_ng_task_index":3}');
  });

  it('touches only top-level keys, even when the same name is nested or inside a string', () => {
    const text = '{"response":{"agent_ref":1},"note":"\\"agent_ref\\":2","agent_ref":{"name":"a"}}';
    expect(assignMembers(text, [['agent_ref', '{"name":"b"}']])).toBe('{"response":{"agent_ref":1},"note":"\\"agent_ref\\":2","agent_ref":{"name":"b"}}');
  });

  it('handles an empty object, whitespace between tokens, and the last of a repeated key', () => {
    expect(assignMembers('{}', [['a', '1']])).toBe('{"a":1}');
    expect(assignMembers(' { "a" : 1 , "b" : [ 2 ] } ', [['b', '3'], ['c', '4']])).toBe('{ "a" : 1 , "b" : 3 ,"c":4}');
    expect(assignMembers('{"a":1,"a":2}', [['a', '5']])).toBe('{"a":1,"a":5}');
  });

  it('gives up on text it cannot edit safely: not an object, more than one line, malformed', () => {
    expect(assignMembers('[1]', [['a', '1']])).toBeNull();
    expect(assignMembers('{\n"a": 1\n}', [['a', '1']])).toBeNull();
    expect(assignMembers('{"a":"unterminated}', [['a', '1']])).toBeNull();
    expect(assignMembers('{"a" 1}', [['a', '1']])).toBeNull();
  });
});
