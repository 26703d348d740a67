import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planToolCall } from '../../../src/core/agent/tool_call_arguments';
import { GOLDEN_DIR, WORKPLACE_DATA_DIR } from '../../support/paths';
import { startWorkplaceResourcesServer, type StartedResourcesServer } from '../../support/workplace_server';

interface GoldenSession {
  calls: Array<{ name: string; arguments: string }>;
  outputs: string[];
}

/** One rollout's session as NeMo Gym's agent drives it: seed, then each call in order with the cookies threaded. */
class AgentSession {
  private cookies = new Map<string, string>();

  constructor(private readonly server: StartedResourcesServer) {}

  async seed(): Promise<void> {
    const answer = await this.server.client.post(`${this.server.url}/seed_session`, '{}', { cookies: this.cookies });
    expect(answer.status).toBe(200);
    this.cookies = new Map([...this.cookies, ...answer.setCookies]);
  }

  async call(name: string, argumentsText: string): Promise<string> {
    const plan = planToolCall(argumentsText);
    if (plan.kind === 'invalid') return plan.output;
    const answer = await this.server.client.post(new URL(`${this.server.url}/${name}`).href, plan.bodyText, { cookies: this.cookies });
    this.cookies = new Map([...this.cookies, ...answer.setCookies]);
    return answer.bodyText;
  }
}

const golden: GoldenSession[] = readFileSync(join(GOLDEN_DIR, 'tool_calls.jsonl'), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as GoldenSession);

describe('golden tool calls over HTTP (NeMo Gym bytes)', () => {
  let server: StartedResourcesServer;
  beforeAll(async () => {
    server = await startWorkplaceResourcesServer();
  });
  afterAll(async () => server.close());

  it('has golden sessions to check', () => {
    expect(golden.length).toBeGreaterThan(10);
  });

  golden.forEach((session, index) => {
    it(`session ${index}: ${session.calls.length} calls starting with ${session.calls[0]?.name}`, async () => {
      const agent = new AgentSession(server);
      await agent.seed();
      const outputs: string[] = [];
      for (const call of session.calls) outputs.push(await agent.call(call.name, call.arguments));
      for (let i = 0; i < session.calls.length; i++) {
        expect(outputs[i], `call ${i} ${session.calls[i]!.name}(${session.calls[i]!.arguments})`).toBe(session.outputs[i]);
      }
    });
  });

  it('reproduces every tool output recorded in example_rollouts.jsonl', async () => {
    const rollouts = readFileSync(join(WORKPLACE_DATA_DIR, 'example_rollouts.jsonl'), 'utf8').split('\n').filter((l) => l.trim() !== '');
    let checked = 0;
    for (const line of rollouts) {
      const output = (JSON.parse(line) as { response: { output: Array<Record<string, string>> } }).response.output;
      const agent = new AgentSession(server);
      await agent.seed();
      for (const item of output) {
        if (item.type !== 'function_call') continue;
        const recorded = output.find((o) => o.type === 'function_call_output' && o.call_id === item.call_id);
        expect(await agent.call(item.name!, item.arguments!)).toBe(recorded!.output);
        checked += 1;
      }
    }
    expect(checked).toBe(8);
  });
});
