/**
 * Sessions share the regex guard's workers: a session looping catastrophic searches must not hold up another
 * session's slow but valid search for long, nor change its answer (it used to starve it, or get it stopped).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkplaceEnvironment, WorkplaceSession } from '../../../../src/core/environments/workplace';
import { dumpCompact } from '../../../../src/core/python/json_dump';
import { RegexGuard } from '../../../../src/core/python/regex_guard';
import type { PyValue } from '../../../../src/core/python/value';
import { callTool, workplaceEnvironment } from './shared_data';

let env: WorkplaceEnvironment;
const guards: RegexGuard[] = [];

beforeAll(async () => {
  env = await workplaceEnvironment();
});

afterAll(async () => {
  await Promise.all(guards.map((guard) => guard.close()));
});

function call(session: WorkplaceSession, tool: string, args: Record<string, unknown>): Promise<PyValue> {
  return callTool(env, session, tool, args);
}

// Worst-case estimates: the victim's search looks costlier than the attackers' (so cost order alone starved it),
// but it ends in under a second of CPU time alone (0.6-0.9 s here), while the attackers' run until stopped. The limit
// leaves it room: CPU time too grows a little when every core is busy (caches, shared execution units).
const VICTIM = ['project_management_search_tasks', { task_name: '(\\w+\\s?)*$' }] as const;
const attack = (n: number): Record<string, unknown> => ({ query: `^((.)+)+#${n}` });

describe('searches of several sessions waiting for the same workers', () => {
  it.each([
    ['each session a caller of its own (forCaller)', true],
    ['sessions on the guard itself', false],
  ] as const)('answer a slow valid search after a bounded number of hostile ones: %s', async (_label, perSession) => {
    // One worker for searches that may run until stopped (plus the one kept for quick ones), as on a 1-core machine.
    const guard = new RegexGuard({ timeLimitMs: 2000, maxWorkers: 2 });
    guards.push(guard);
    const sessionGuard = (caller: string): RegexGuard => (perSession ? guard.forCaller(caller) : guard);
    const attackers = 3;
    const callsEach = 6;
    let victimDone = false;
    let stoppedBeforeVictim = 0;
    const loops = Array.from({ length: attackers }, async (_, i) => {
      const session = env.newSession(sessionGuard(`attacker ${i}`));
      for (let n = 0; n < callsEach && !victimDone; n++) {
        const answer = await call(session, 'calendar_search_events', attack(n));
        expect(answer).toContain('was stopped after 2.0 s');
        if (!victimDone) stoppedBeforeVictim++;
      }
    });
    const victim = env.newSession(sessionGuard('victim'));
    const answer = await call(victim, ...VICTIM);
    victimDone = true;
    await Promise.all(loops);
    // The same answer as alone, inline: the other sessions' load did not turn it into a TimeoutError.
    const alone = env.newSession(new RegexGuard({ inlineStepLimit: Infinity }));
    expect(dumpCompact(answer)).toBe(dumpCompact(await call(alone, ...VICTIM)));
    // Those in line before it, and a few cheaper-looking ones that may overtake it; not the whole stream.
    expect(stoppedBeforeVictim).toBeLessThanOrEqual(2 * attackers + 4);
  }, 180_000);
});
