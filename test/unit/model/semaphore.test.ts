import { describe, expect, it } from 'vitest';
import { Semaphore } from '../../../src/core/model/semaphore.js';

describe('Semaphore', () => {
  it('grants permits in order and never more than its size at once', async () => {
    const semaphore = new Semaphore(2);
    let inFlight = 0;
    let most = 0;
    const order: number[] = [];
    await Promise.all(
      [0, 1, 2, 3, 4].map(async (n) => {
        const release = await semaphore.acquire();
        inFlight += 1;
        most = Math.max(most, inFlight);
        order.push(n);
        await Promise.resolve();
        inFlight -= 1;
        release();
      }),
    );
    expect(most).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4]);
  });

  it('a waiter can be aborted, and releasing twice gives back one permit', async () => {
    const semaphore = new Semaphore(1);
    const release = await semaphore.acquire();
    const controller = new AbortController();
    const waiting = semaphore.acquire(controller.signal);
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    release();
    release();
    const again = await semaphore.acquire();
    let second = false;
    void semaphore.acquire().then(() => (second = true));
    await Promise.resolve();
    expect(second).toBe(false);
    again();
  });
});
