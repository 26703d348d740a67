/**
 * A fake OpenAI-compatible server for tests and benchmarks. Start it with a script, point any OpenAI client at
 * `server.url`, assert on `server.requests`:
 *
 *   const server = await startFakeOpenAIServer({ script: replayRecordedRollouts(rolloutsPath), apiKey: 'test-key' });
 *   server.setFaults({ byRequestIndex: { 0: { kind: 'rate_limit', retryAfterSeconds: 0.01 } } });
 *   ...
 *   await server.close();
 */
export { startFakeOpenAIServer, type AuthorizationCheck, type FakeOpenAIServer, type FakeOpenAIServerOptions, type RecordedRequest } from './server.js';
export {
  BENCHMARK_TOOL_CALLS,
  fixedScript,
  isRawReply,
  openAIErrorReply,
  oracleScript,
  replayRecordedRollouts,
  turnItemsFromResponsesOutput,
  type FakeReply,
  type FakeScript,
  type FakeTurn,
  type GroundTruthCall,
  type RawReply,
  type TaskRow,
} from './scripts.js';
export { type Fault, type FaultContext, type FaultKind, type FaultPlan, seededRandom } from './faults.js';
export { describeRequest, type ModelApi, type ScriptRequest } from './conversation.js';
export { loadRecordedRollouts, parseRecordedRollouts, type RecordedRollout, type RecordedTurn } from './recorded_rollouts.js';
export { EXAMPLE_ROLLOUTS_PATH, EXAMPLE_ROLLOUTS_TASKS_PATH, EXAMPLE_TASKS_PATH } from './shared_data.js';
