/**
 * N OpenAI-compatible endpoints in one process (so their CPU is not counted as the collector's), each serving at most
 * C model requests at once (more wait in its queue, as a vLLM replica's scheduler makes them wait) and answering each
 * after L ms: 4 model turns with 3 read-only tool calls per rollout. Behind them, one zero-latency fake server.
 * Usage: limited_upstreams.ts N C L; prints the endpoints' base URLs, comma-separated, on the first line.
 */
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fixedScript, startFakeOpenAIServer } from '../../test/support/fake_openai';

const [count, limit, latencyMs] = process.argv.slice(2).map(Number) as [number, number, number];

async function main(): Promise<void> {
  const backend = await startFakeOpenAIServer({ script: fixedScript(), recordRequests: false });
  const backendUrl = new URL(backend.url);
  const urls: string[] = [];
  for (let i = 0; i < count; i++) {
    let active = 0;
    const queue: Array<() => void> = [];
    const acquire = () => (active < limit ? (active++, Promise.resolve()) : new Promise<void>((resolve) => queue.push(resolve)));
    const release = () => {
      const next = queue.shift();
      if (next) next();
      else active--;
    };
    const server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        void acquire().then(() => {
          setTimeout(() => {
            const upstream = request(
              { host: backendUrl.hostname, port: backendUrl.port, method: req.method, path: req.url, headers: req.headers },
              (answer) => {
                res.writeHead(answer.statusCode ?? 502, answer.headers);
                answer.pipe(res);
                answer.on('end', release);
              },
            );
            upstream.on('error', () => {
              release();
              res.destroy();
            });
            upstream.end(Buffer.concat(chunks));
          }, latencyMs);
        });
      });
    });
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    urls.push(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`);
  }
  process.stdout.write(`${urls.join(',')}\n`);
  process.on('SIGTERM', () => process.exit(0));
}

void main();
