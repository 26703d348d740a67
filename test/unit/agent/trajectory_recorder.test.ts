import { describe, expect, it } from 'vitest';
import { TrajectoryRecorder } from '../../../src/core/agent/trajectory_recorder';
import { TrajectoryRecord } from '../../../src/core/schema/trajectory_record';
import { InnerServerError } from '../../../src/core/servers/http/inner_server_error';
import { modelCallFailureOf } from '../../../src/core/agent/simple_agent_loop';

const modelRef = { type: 'responses_api_models' as const, name: 'policy_model' };
const response = (id: string | null) => ({ id, model: 'm', status: 'completed', output: [{ type: 'message', role: 'assistant', content: [] }], usage: { input_tokens: 10, output_tokens: 2, total_tokens: 12 } });

describe('TrajectoryRecorder', () => {
  it('with full capture, keeps payloads until the byte budget is spent, then says so once', () => {
    const recorder = new TrajectoryRecorder({ modelRef, payloads: { maxBytes: 400 } });
    for (let i = 0; i < 3; i++) {
      const call = recorder.startModelCall({ input: [{ role: 'user', content: 'x'.repeat(100) }] });
      recorder.modelCallAnswered(call, { response: response(`resp_${i}`), status: 200, upstreamAttempts: 1 });
      recorder.addTurn(call, 1 + i, [], response(null).output, '0', '0-0');
    }
    recorder.finish('completed', [{ role: 'user', content: 'x', type: 'message' }]);
    const record = recorder.toRecord('0', '0-0');
    expect(TrajectoryRecord.safeParse(record).error?.issues).toBeUndefined();
    expect(record.model_calls!.map((call) => [call.request !== null, call.response !== null])).toEqual([[true, true], [false, false], [false, false]]);
    expect(record.gaps).toEqual([{ code: 'model_call_payloads_truncated', invocation_id: 'root', detail: 'max_bytes=400' }]);
  });

  it('a failed model call keeps its status and error category; a response without id leaves the reference out, with a gap', () => {
    const recorder = new TrajectoryRecorder({ modelRef, payloads: null });
    const first = recorder.startModelCall({ input: [] });
    recorder.modelCallAnswered(first, { response: response(null), status: 200, upstreamAttempts: null });
    recorder.addTurn(first, 1, [], [], '0', '0-0');
    const second = recorder.startModelCall({ input: [] });
    recorder.modelCallFailed(second, modelCallFailureOf(new InnerServerError('SimpleAgent___a', '{"error":{}}', 'model_error', false, { peerStatus: 429, upstreamAttempts: 5 })));
    recorder.finish('failed', [], 'InnerServerError');
    const record = recorder.toRecord('0', '0-0');
    expect(TrajectoryRecord.safeParse(record).error?.issues).toBeUndefined();
    expect(record.model_calls![1]!.response_metadata).toMatchObject({ status_code: 429, error_category: 'rate_limit' });
    expect(record.invocations![0]).toMatchObject({ status: 'failed', error_type: 'InnerServerError' });
    expect(record.invocations![0]!.model_calls!.map((ref) => ref.model_call_id)).toEqual([second.handle.id]);
    expect(record.turns![0]!.model_calls).toEqual([]);
    expect(record.gaps!.map((gap) => gap.code)).toEqual(['model_call_reference_unavailable', 'model_call_retried']);
  });
});
