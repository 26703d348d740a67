import { describe, expect, it } from 'vitest';
import { displayUrl, EndpointPool, isConnectionRefused } from '../../../src/core/endpoint_pool';

function pool(n: number, options: ConstructorParameters<typeof EndpointPool<string>>[1] = {}) {
  return new EndpointPool(Array.from({ length: n }, (_, i) => ({ label: `e${i}`, value: `v${i}` })), options);
}

describe('endpoint pool', () => {
  it('keeps a session on one endpoint and spreads new sessions to the least loaded', () => {
    const p = pool(2);
    const a = p.choose('s1')!;
    const b = p.choose('s2')!;
    expect(a.index).not.toBe(b.index);
    // s1 comes back while its first lease is still in flight: same endpoint, although it is now the busier one.
    const a2 = p.choose('s1')!;
    expect(a2.index).toBe(a.index);
    a.succeed();
    a2.succeed();
    // e(a) idle, e(b) busy: a new session goes to the idle one.
    expect(p.choose('s3')!.index).toBe(a.index);
    expect(p.stats().map((s) => s.sessions).reduce((x, y) => x + y)).toBe(3);
  });

  it('a refused connection takes an endpoint out at once, aborting its leases; sessions move; it comes back after the back-off', () => {
    let now = 0;
    const p = pool(2, { now: () => now, backoffMs: () => 1000 });
    const lease = p.choose('s1')!;
    const other = p.choose('s2')!;
    lease.fail('refused');
    expect(lease.signal.aborted).toBe(true);
    expect(other.signal.aborted).toBe(false);
    expect(p.healthy(lease.index)).toBe(false);
    expect(p.choose('s1')!.index).toBe(other.index);
    expect(p.choose('s9')!.index).toBe(other.index);
    now = 1000;
    // Half-open: after the back-off the endpoint is tried again, and one more failure takes it out again.
    const trial = p.choose('s10', new Set([other.index]))!;
    expect(trial.index).toBe(lease.index);
    trial.fail('error');
    expect(p.healthy(lease.index)).toBe(false);
    expect(p.stats()[lease.index]).toMatchObject({ ejections: 2, errors: 2, healthy: false });
  });

  it('repeated failures take an endpoint out; a success in between resets the count; a 4xx-like success does not count', () => {
    const p = pool(2, { failuresToEject: 3 });
    const fail = () => p.choose('s', new Set([1]))!.fail('error');
    fail();
    fail();
    p.choose('s', new Set([1]))!.succeed();
    fail();
    fail();
    expect(p.healthy(0)).toBe(true);
    fail();
    expect(p.healthy(0)).toBe(false);
    expect(p.choose('s', new Set([1]))).toBeNull();
  });

  it('with a probe, an endpoint comes back only when the probe says so', async () => {
    let answers = false;
    const probed: string[] = [];
    const p = pool(1, { backoffMs: () => 1, probe: (label) => (probed.push(label), Promise.resolve(answers)) });
    p.choose()!.fail('refused');
    expect(p.choose()).toBeNull();
    const deadline = Date.now() + 5000;
    while (probed.length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(p.healthy(0)).toBe(false);
    answers = true;
    while (!p.healthy(0) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(p.healthy(0)).toBe(true);
    p.close();
  });

  it('shows URLs without credentials or query, and recognises refused connections through causes', () => {
    expect(displayUrl('https://user:secret@example.com:8000/v1/?key=abc#x')).toBe('https://example.com:8000/v1');
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect(isConnectionRefused(new TypeError('fetch failed', { cause: refused }))).toBe(true);
    expect(isConnectionRefused(new TypeError('fetch failed', { cause: new Error('reset') }))).toBe(false);
  });
});
