import { resolve } from 'node:path';
import { CancellationTokenSource, NotificationType, RequestType } from 'vscode-jsonrpc/node';
import { afterEach, describe, expect, it } from 'vitest';
import { HostExitedError, HostProcess, HostRequestFailedError, RequestCancelledError, RequestTimeoutError } from '../../../src/extension/host/host_process';
import { hostHello } from '../../../src/host/protocol';

const FAKE_HOST = resolve(__dirname, 'fixtures/fake_host.mjs');
const sleep = new RequestType<{ ms: number }, string, void>('test/sleep');
const crash = new RequestType<{ code: number }, never, void>('test/crash');
const readEnv = new RequestType<{ name: string }, string | null, void>('test/env');
const readArgv = new RequestType<Record<string, never>, string[], void>('test/argv');
const fail = new RequestType<Record<string, never>, never, void>('test/fail');
const notifyMe = new NotificationType<{ text: string }>('test/notifyMe');
const notified = new NotificationType<{ text: string }>('test/notified');

const started: HostProcess[] = [];
function startHost(env: Record<string, string | undefined> = {}): HostProcess {
  const host = new HostProcess({ modulePath: FAKE_HOST, env: { ...process.env, ...env }, defaultTimeoutMs: 10_000 });
  started.push(host);
  return host;
}

afterEach(() => {
  for (const host of started.splice(0)) host.kill();
});

describe('HostProcess', () => {
  it('answers typed requests over IPC', async () => {
    const host = startHost();
    const hello = await host.request(hostHello, {});
    expect(hello.pid).toBe(host.pid);
  });

  it('passes secrets through the environment only, never the arguments', async () => {
    const host = startHost({ GYM_ROLLOUTS_POLICY_API_KEY: 'nvapi-secret-value' });
    expect(await host.request(readEnv, { name: 'GYM_ROLLOUTS_POLICY_API_KEY' })).toBe('nvapi-secret-value');
    expect(await host.request(readEnv, { name: 'ELECTRON_RUN_AS_NODE' })).toBe('1');
    expect((await host.request(readArgv, {})).join(' ')).not.toContain('nvapi-secret-value');
  });

  it('fails a request that is not answered in time, and tells the host to stop working on it', async () => {
    const host = startHost();
    // The host logs the cancellation when it gets it, however long after the timeout that is: wait for that line.
    const cancelled = new Promise<void>((resolve) => {
      host.onLog((line) => {
        if (line.message === 'sleep cancelled') resolve();
      });
    });
    await expect(host.request(sleep, { ms: 60_000 }, { timeoutMs: 200 })).rejects.toBeInstanceOf(RequestTimeoutError);
    await cancelled;
  });

  it('fails a cancelled request at once', async () => {
    const host = startHost();
    const source = new CancellationTokenSource();
    const pending = host.request(sleep, { ms: 60_000 }, { token: source.token });
    source.cancel();
    await expect(pending).rejects.toBeInstanceOf(RequestCancelledError);
  });

  it("reports the host's own errors with their message", async () => {
    const host = startHost();
    const error = await host.request(fail, {}).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HostRequestFailedError);
    expect((error as HostRequestFailedError).message).toBe('it failed on purpose');
  });

  it('fails every pending request as soon as the process exits, with its last lines', async () => {
    const host = startHost();
    await host.request(hostHello, {});
    const slow = host.request(sleep, { ms: 60_000 }, { timeoutMs: 60_000 });
    const dying = host.request(crash, { code: 3 }, { timeoutMs: 60_000 });
    const [slowError, dyingError] = await Promise.all([slow.catch((error: unknown) => error), dying.catch((error: unknown) => error)]);
    expect(slowError).toBeInstanceOf(HostExitedError);
    expect(dyingError).toBeInstanceOf(HostExitedError);
    expect((slowError as HostExitedError).method).toBe('test/sleep');
    const exit = await host.exited;
    expect(exit).toMatchObject({ code: 3, expected: false });
    expect(exit.lastLines).toEqual(expect.arrayContaining(['about to crash with 3', 'last words']));
    await expect(host.request(hostHello, {})).rejects.toBeInstanceOf(HostExitedError);
  });

  it('delivers notifications to handlers', async () => {
    const host = startHost();
    const received = new Promise<{ text: string }>((resolveReceived) => host.onNotification(notified, resolveReceived));
    await host.request(hostHello, {});
    await (host as unknown as { connection: { sendNotification(type: unknown, params: unknown): Promise<void> } }).connection.sendNotification(notifyMe, { text: 'ping' });
    expect(await received).toEqual({ text: 'ping' });
  });

  it('stops cleanly: shutdown, disconnect, an expected exit', async () => {
    const host = startHost();
    await host.request(hostHello, {});
    const exit = await host.stop(5_000);
    expect(exit).toMatchObject({ code: 0, expected: true });
    expect(exit.lastLines).toContain('shutting down');
  });
});
