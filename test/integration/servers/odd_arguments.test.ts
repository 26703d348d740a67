/**
 * Issue #14 over real HTTP: every session of test/fixtures/fidelity/odd_arguments.json (raw bodies included: BOM,
 * NaN/Infinity, deep nesting, lone surrogates, UTF-16/32, malformed JSON) is sent to our resources server on
 * loopback, and the status and body bytes must be the ones NeMo Gym's Python server answered.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matchesRecorded, readOddArgumentsFixture, recordedText, requestBytes, type OddSession } from '../../fixtures/fidelity/odd_arguments';
import { startWorkplaceResourcesServer, type StartedResourcesServer } from '../../support/workplace_server';

interface RawAnswer {
  status: number;
  body: Buffer;
  setCookies: string[];
}

/** A POST with exactly these body bytes (no re-encoding), as aiohttp sends `data=` with a JSON content type. */
function post(url: string, body: Buffer, cookie: string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': body.length, ...(cookie ? { cookie } : {}) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const setCookie = res.headers['set-cookie'] ?? [];
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), setCookies: setCookie });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function cookieHeader(setCookies: readonly string[]): string {
  return setCookies.map((line) => line.split(';')[0]).join('; ');
}

const fixture = readOddArgumentsFixture();
const byClass = new Map<string, OddSession[]>();
for (const session of fixture.sessions) byClass.set(session.class, [...(byClass.get(session.class) ?? []), session]);

describe('odd arguments over HTTP: the same status and bytes as NeMo Gym', () => {
  let server: StartedResourcesServer;
  beforeAll(async () => {
    server = await startWorkplaceResourcesServer();
  });
  afterAll(async () => server.close());

  for (const [name, sessions] of byClass) {
    it(`class ${name}: ${sessions.length} sessions`, async () => {
      const mismatches: string[] = [];
      for (const session of sessions) {
        const seeded = await post(`${server.url}/seed_session`, Buffer.from('{}'), '');
        expect(seeded.status).toBe(200);
        let cookie = cookieHeader(seeded.setCookies);
        for (const call of session.calls) {
          const answer = await post(`${server.url}/${call.tool}`, requestBytes(call), cookie);
          if (answer.setCookies.length > 0) cookie = cookieHeader(answer.setCookies);
          if (answer.status !== call.status || !matchesRecorded(call, answer.body)) {
            mismatches.push(`${call.tool} ${(call.body ?? call.bodyBase64 ?? '').slice(0, 200)}\n  expected ${call.status} ${recordedText(call).slice(0, 300)}\n  actual   ${answer.status} ${answer.body.toString('utf8').slice(0, 300)}`);
          }
        }
      }
      expect(mismatches.slice(0, 5), `${mismatches.length} mismatching calls`).toEqual([]);
    });
  }
});
