/**
 * Where NeMo Gym's pydantic models hold floats, for writing their dumps as Python does (see python/typed_json.ts).
 * Read from the models: `NeMoGymResponseCreateParamsNonStreaming` (openai_utils.py), `NeMoGymResponse` (openai's
 * `Response` with NeMo Gym's output items; `completed_at` is not a field of the pinned openai version, so it keeps
 * the upstream's int), `TrajectoryRecord` (rollout_observability.py).
 */
import type { FloatShape } from '../python/typed_json';

const LOGPROB: FloatShape = { logprob: 'float', top_logprobs: [{ logprob: 'float' }] };

/** A Responses API item (output item, or an input item replaying one): output-text log-probabilities. */
export const RESPONSE_ITEM_FLOATS: FloatShape = { content: [{ logprobs: [LOGPROB] }] };

export const RESPONSE_FLOATS: FloatShape = {
  created_at: 'float',
  temperature: 'float',
  top_p: 'float',
  output: [RESPONSE_ITEM_FLOATS],
};

export const CREATE_PARAMS_FLOATS: FloatShape = {
  temperature: 'float',
  top_p: 'float',
  input: [RESPONSE_ITEM_FLOATS],
};

export const TRAJECTORY_FLOATS: FloatShape = {
  invocations: [{ duration_ms: 'float', conversation: [RESPONSE_ITEM_FLOATS] }],
  turns: [{ timestamp: 'float', question: [RESPONSE_ITEM_FLOATS], answer: [RESPONSE_ITEM_FLOATS], reasoning_content: [RESPONSE_ITEM_FLOATS] }],
  model_calls: [{
    started_at: 'float',
    completed_at: 'float',
    duration_ms: 'float',
    request: CREATE_PARAMS_FLOATS,
    response: RESPONSE_FLOATS,
    response_metadata: { latency_ttft_ms: 'float' },
  }],
  tool_calls: [{ started_at: 'float', completed_at: 'float', duration_ms: 'float' }],
};
