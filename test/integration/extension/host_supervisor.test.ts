import { resolve } from 'node:path';
import { RequestType } from 'vscode-jsonrpc/node';
import { afterEach, describe, expect, it } from 'vitest';
import { HostProcess } from '../../../src/extension/host/host_process';
import { HostSupervisor, type HostState } from '../../../src/extension/host/host_supervisor';
import { hostHello } from '../../../src/host/protocol';

const FAKE_HOST = resolve(__dirname, 'fixtures/fake_host.mjs');
const crash = new RequestType<{ code: number }, never, void>('test/crash');

const supervisors: HostSupervisor[] = [];

function supervise(options: { now?: () => number; stableAfterMs?: number } = {}) {
  const states: HostState['kind'][] = [];
  const lifetimes: { disposed: boolean }[] = [];
  let launches = 0;
  const supervisor = new HostSupervisor({
    launch: () => {
      launches += 1;
      return new HostProcess({ modulePath: FAKE_HOST, env: process.env });
    },
    onStarted: async (host, lifetime) => {
      const marker = { disposed: false };
      lifetimes.push(marker);
      lifetime.add({ dispose: () => (marker.disposed = true) });
      await host.request(hostHello, {});
    },
    ...options,
  });
  supervisor.onDidChangeState((state) => states.push(state.kind));
  supervisors.push(supervisor);
  return { supervisor, states, lifetimes, launches: () => launches };
}

async function crashCurrent(supervisor: HostSupervisor): Promise<void> {
  const host = supervisor.current!;
  await host.request(crash, { code: 7 }).catch(() => undefined);
  await host.exited;
}

afterEach(() => {
  for (const supervisor of supervisors.splice(0)) supervisor.dispose();
});

describe('HostSupervisor', () => {
  it('starts the host once for concurrent callers', async () => {
    const { supervisor, launches } = supervise();
    const [first, second] = await Promise.all([supervisor.ensureRunning(), supervisor.ensureRunning()]);
    expect(first).toBe(second);
    expect(launches()).toBe(1);
    expect(supervisor.state).toMatchObject({ kind: 'running', pid: first.pid });
  });

  it('restarts automatically once after a crash, releasing the dead host’s lifetime', async () => {
    const { supervisor, states, lifetimes, launches } = supervise();
    const first = await supervisor.ensureRunning();
    await crashCurrent(supervisor);
    await expect.poll(() => supervisor.state.kind).toBe('running');
    expect(launches()).toBe(2);
    expect(supervisor.current).not.toBe(first);
    expect(lifetimes.map((lifetime) => lifetime.disposed)).toEqual([true, false]);
    expect(states).toContain('crashed');
  });

  it('does not restart a second time, and reports the exit with its last lines', async () => {
    const { supervisor, launches } = supervise();
    await supervisor.ensureRunning();
    await crashCurrent(supervisor);
    await expect.poll(() => supervisor.state.kind).toBe('running');
    await crashCurrent(supervisor);
    await expect.poll(() => supervisor.state.kind).toBe('crashed');
    const state = supervisor.state as Extract<HostState, { kind: 'crashed' }>;
    expect(state.restarting).toBe(false);
    expect(state.exit.code).toBe(7);
    expect(state.exit.lastLines).toContain('about to crash with 7');
    expect(launches()).toBe(2);
    expect(supervisor.current).toBeNull();
  });

  it('re-arms the automatic restart after a restart the user asked for', async () => {
    const { supervisor, launches } = supervise();
    await supervisor.ensureRunning();
    await crashCurrent(supervisor);
    await expect.poll(() => supervisor.state.kind).toBe('running');
    await supervisor.restart();
    await crashCurrent(supervisor);
    await expect.poll(() => launches()).toBe(4);
    await expect.poll(() => supervisor.state.kind).toBe('running');
  });

  it('re-arms the automatic restart when the host had run stably', async () => {
    let now = 0;
    const { supervisor, launches } = supervise({ now: () => now, stableAfterMs: 1_000 });
    await supervisor.ensureRunning();
    await crashCurrent(supervisor);
    await expect.poll(() => supervisor.state.kind).toBe('running');
    now += 5_000;
    await crashCurrent(supervisor);
    await expect.poll(() => launches()).toBe(3);
  });

  it('stops cleanly without restarting', async () => {
    const { supervisor, states, lifetimes } = supervise();
    const host = await supervisor.ensureRunning();
    await supervisor.stop();
    expect((await host.exited).expected).toBe(true);
    expect(supervisor.state.kind).toBe('stopped');
    expect(states.slice(-2)).toEqual(['stopping', 'stopped']);
    expect(lifetimes[0]!.disposed).toBe(true);
  });
});
