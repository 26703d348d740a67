/**
 * The port for the host's head server: NeMo Gym's 11000 when it is free (so `ng_collect_rollouts` finds it
 * without options), else any free loopback port — never a clash with an `ng_run` in a terminal or another window.
 */
import { createServer } from 'node:net';

export const NEMO_GYM_HEAD_SERVER_PORT = 11000;

function listenable(port: number): Promise<number | null> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(null));
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : null;
      server.close(() => resolve(bound));
    });
  });
}

export async function chooseHeadServerPort(preferred = NEMO_GYM_HEAD_SERVER_PORT): Promise<number> {
  return (await listenable(preferred)) ?? (await listenable(0)) ?? preferred;
}
