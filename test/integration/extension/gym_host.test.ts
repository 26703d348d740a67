import { resolve } from 'node:path';
import { RequestType } from 'vscode-jsonrpc/node';
import { afterEach, describe, expect, it } from 'vitest';
import { GymHost } from '../../../src/extension/host/gym_host';
import type { HostLogLine } from '../../../src/extension/host/host_process';
import type { ServersStatus } from '../../../src/host/protocol';

const FAKE_HOST = resolve(__dirname, 'fixtures/fake_host.mjs');
const crash = new RequestType<{ code: number }, never, void>('test/crash');
const hosts: GymHost[] = [];

function gymHost() {
  const lines: HostLogLine[] = [];
  const states: (ServersStatus['state'] | null)[] = [];
  let started = 0;
  const host = new GymHost({
    modulePath: FAKE_HOST,
    environment: async () => ({ ...process.env }),
    log: (line) => lines.push(line),
    collectionEvents: { progress: () => undefined, notice: () => undefined, finished: () => undefined },
    afterStart: async () => {
      started += 1;
    },
  });
  host.onServersChanged((status) => states.push(status?.state ?? null));
  hosts.push(host);
  return { host, lines, states, afterStarts: () => started };
}

afterEach(() => {
  for (const host of hosts.splice(0)) host.dispose();
});

describe('GymHost', () => {
  it('starts the host and the servers once for concurrent callers', async () => {
    const { host, lines } = gymHost();
    const request = { argv: ['+a=1'], cwd: '/' };
    const [first, second] = await Promise.all([host.startServers(request), host.startServers(request)]);
    expect(first.state).toBe('running');
    expect(second.state).toBe('running');
    expect(lines.filter((line) => line.message.startsWith('servers started')).length).toBe(1);
    expect(host.servers?.state).toBe('running');
  });

  it('after the host dies, starts the servers it had again, then resumes work', async () => {
    const { host, lines, afterStarts } = gymHost();
    await host.startServers({ argv: ['+a=1'], cwd: '/' });
    expect(afterStarts()).toBe(1);
    await host.request(crash, { code: 9 }).catch(() => undefined);
    await expect.poll(() => afterStarts()).toBe(2);
    await expect.poll(() => host.servers?.state).toBe('running');
    expect(lines.filter((line) => line.message.startsWith('servers started')).length).toBe(2);
    expect(host.hostState.kind).toBe('running');
  });

  it('does not start servers nobody asked for', async () => {
    const { host, lines } = gymHost();
    await host.stopServers();
    await host.request(crash, { code: 9 }).catch(() => undefined);
    await expect.poll(() => host.hostState.kind).toBe('running');
    expect(lines.some((line) => line.message.startsWith('servers started'))).toBe(false);
  });
});
