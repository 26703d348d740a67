import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { WebSocket as WebSocketClient } from 'ws';
import { attachRequestSocket, MAX_IN_FLIGHT_PER_SOCKET } from '../../../src/core/viewer/viewer_socket';

describe('request socket', () => {
  it('answers a burst of pipelined requests all, with at most MAX_IN_FLIGHT_PER_SOCKET being answered at once', async () => {
    const server = createServer();
    let inFlight = 0;
    let most = 0;
    const socket = attachRequestSocket(server, {
      path: '/api/socket',
      allow: () => true,
      maxMessageBytes: 1024 * 1024,
      onError: () => {},
      answer: async (text) => {
        most = Math.max(most, ++inFlight);
        await new Promise((resolve) => setTimeout(resolve, 1));
        inFlight--;
        return text;
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const client = new WebSocketClient(`ws://127.0.0.1:${port}/api/socket`, { origin: `http://127.0.0.1:${port}` });
      await new Promise((resolve, reject) => client.once('open', resolve).once('error', reject));
      const burst = 2000;
      const answered = new Set<string>();
      const all = new Promise<void>((resolve) =>
        client.on('message', (data: Buffer) => {
          answered.add(data.toString('utf8'));
          if (answered.size === burst) resolve();
        }),
      );
      for (let k = 0; k < burst; k++) client.send(`request ${k}`);
      await all;
      expect(answered.size).toBe(burst);
      expect(most).toBeLessThanOrEqual(MAX_IN_FLIGHT_PER_SOCKET);
      client.close();
    } finally {
      socket.close();
      server.close();
    }
  });
});
