/**
 * A zero-latency OpenAI-compatible upstream in its own process (so its CPU is not counted as ours):
 * 4 model turns with 3 read-only tool calls per rollout. Prints its base URL on the first line.
 */
import { fixedScript, startFakeOpenAIServer } from '../../test/support/fake_openai';

async function main(): Promise<void> {
  const server = await startFakeOpenAIServer({ script: fixedScript(), recordRequests: false });
  process.stdout.write(`${server.url}\n`);
  process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
}

void main();
