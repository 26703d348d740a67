import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { assignHostsAndPorts, isPortFree } from '../../../src/core/config/ports.js';
import type { ServerBlock } from '../../../src/core/config/servers.js';
import type { ConfigDict } from '../../../src/core/config/value.js';

const listeners: Server[] = [];
afterEach(async () => {
  await Promise.all(listeners.splice(0).map((server) => new Promise<void>((done) => server.close(() => done()))));
});

function listen(port: number, host = '127.0.0.1'): Promise<Server> {
  return new Promise((settle, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen({ port, host }, () => {
      listeners.push(server);
      settle(server);
    });
  });
}

function portOf(server: Server): number {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** A port we hold open whose next port is free right now. */
async function occupiedPortWithFreeNeighbour(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const server = await listen(0);
    const port = portOf(server);
    if (port < 65535 && (await isPortFree(port + 1, '127.0.0.1'))) return port;
  }
  throw new Error('could not find an occupied port with a free neighbour');
}

function server(name: string, config: ConfigDict = {}): ServerBlock {
  return { name, serverType: 'responses_api_models', implementation: 'openai_model', config };
}

describe('assignHostsAndPorts', () => {
  it('gives each server the default host and a distinct free port in the range, never the head server port', async () => {
    const assigned = await assignHostsAndPorts([server('a'), server('b'), server('c')]);
    const ports = assigned.map((entry) => entry.port);
    expect(new Set(ports).size).toBe(3);
    for (const entry of assigned) {
      expect(entry.host).toBe('127.0.0.1');
      expect(entry.port).toBeGreaterThanOrEqual(10001);
      expect(entry.port).toBeLessThanOrEqual(20000);
      expect(entry.port).not.toBe(11000);
      expect(await isPortFree(entry.port, entry.host)).toBe(true);
    }
    expect(assigned.map((entry) => entry.name)).toEqual(['a', 'b', 'c']);
  });

  it('skips a port that is really in use', async () => {
    const busy = await occupiedPortWithFreeNeighbour();
    expect(await isPortFree(busy, '127.0.0.1')).toBe(false);
    for (let round = 0; round < 5; round++) {
      const [assigned] = await assignHostsAndPorts([server('a')], { portRangeLow: busy, portRangeHigh: busy + 1 });
      expect(assigned!.port).toBe(busy + 1);
    }
  });

  it('fails clearly when every port in the range is taken', async () => {
    const busy = await occupiedPortWithFreeNeighbour();
    await expect(assignHostsAndPorts([server('a')], { portRangeLow: busy, portRangeHigh: busy })).rejects.toThrow(
      `No free port in ${busy}-${busy} on 127.0.0.1.`,
    );
  });

  it('skips the head server port and disallowed ports', async () => {
    const busy = await occupiedPortWithFreeNeighbour();
    const free = busy + 1;
    await expect(assignHostsAndPorts([server('a')], { portRangeLow: free, portRangeHigh: free, headServerPort: free })).rejects.toThrow('No free port');
    await expect(assignHostsAndPorts([server('a')], { portRangeLow: free, portRangeHigh: free, disallowedPorts: [free] })).rejects.toThrow('No free port');
  });

  it('keeps an explicit host and port, and uses defaultHost otherwise', async () => {
    const assigned = await assignHostsAndPorts([server('fixed', { host: 'localhost', port: 12345 }), server('string_port', { port: '12346' }), server('free')], {
      defaultHost: '127.0.0.1',
      portRangeLow: 12345,
      portRangeHigh: 12400,
    });
    expect(assigned[0]).toMatchObject({ host: 'localhost', port: 12345 });
    expect(assigned[1]).toMatchObject({ host: '127.0.0.1', port: 12346 });
    expect([12345, 12346]).not.toContain(assigned[2]!.port);
  });

  it('rejects explicit ports that clash or are not ports', async () => {
    await expect(assignHostsAndPorts([server('a', { port: 11000 })])).rejects.toThrow("Server 'a' asks for port 11000, which is already used by the head server.");
    await expect(assignHostsAndPorts([server('a', { port: 15000 }), server('b', { port: 15000 })])).rejects.toThrow(
      "Server 'b' asks for port 15000, which is already used by server 'a'.",
    );
    await expect(assignHostsAndPorts([server('a', { port: 'http' })])).rejects.toThrow("Server 'a': port should be a whole number from 1 to 65535");
    await expect(assignHostsAndPorts([server('a', { port: '${oc.env:PORT}' })])).rejects.toThrow('resolve');
  });

  it('rejects an inverted range', async () => {
    await expect(assignHostsAndPorts([server('a')], { portRangeLow: 20000, portRangeHigh: 10000 })).rejects.toThrow('The port range 20000-10000 is not valid');
  });
});
