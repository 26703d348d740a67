/**
 * One host child process and its JSON-RPC connection. Every request has a timeout and can be cancelled; when the
 * process exits, every pending request fails at once with {@link HostExitedError}. Editor-free, so it is tested
 * against a real forked process.
 */
import { fork, type ChildProcess } from 'node:child_process';
import {
  CancellationTokenSource,
  createMessageConnection,
  Emitter,
  IPCMessageReader,
  IPCMessageWriter,
  ResponseError,
  type Disposable,
  type Event,
  type MessageConnection,
  type NotificationType,
  type RequestParam,
  type RequestType,
} from 'vscode-jsonrpc/node';
import { hostShutdown, logLine, type LogLevel } from '../../host/protocol';

export interface HostExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** True when the extension asked it to stop. */
  expected: boolean;
  /** The last lines it logged or printed, for the Servers view. */
  lastLines: string[];
}

export interface HostLogLine {
  level: LogLevel;
  message: string;
  source: 'protocol' | 'stdout' | 'stderr';
}

export class HostExitedError extends Error {
  constructor(
    readonly method: string,
    readonly exit: HostExit,
  ) {
    super(`The host process exited (${exit.signal ?? `code ${exit.code}`}) before answering ${method}.`);
    this.name = 'HostExitedError';
  }
}

export class RequestTimeoutError extends Error {
  constructor(
    readonly method: string,
    readonly timeoutMs: number,
  ) {
    super(`The host did not answer ${method} within ${Math.round(timeoutMs / 1000)} s.`);
    this.name = 'RequestTimeoutError';
  }
}

export class RequestCancelledError extends Error {
  constructor(readonly method: string) {
    super(`${method} was cancelled.`);
    this.name = 'RequestCancelledError';
  }
}

/** The error the host answered with (its message is already free of secrets). */
export class HostRequestFailedError extends Error {
  constructor(
    readonly method: string,
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'HostRequestFailedError';
  }
}

/** The subset of a cancellation token used here; `vscode.CancellationToken` fits. */
export interface CancellationSignal {
  readonly isCancellationRequested: boolean;
  onCancellationRequested(listener: () => void): Disposable;
}

export interface RequestOptions {
  timeoutMs?: number;
  token?: CancellationSignal;
}

export interface HostProcessOptions {
  modulePath: string;
  env: Record<string, string | undefined>;
  cwd?: string;
  defaultTimeoutMs?: number;
  /** How many trailing log lines an exit report keeps. */
  keepLines?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;

interface PendingRequest {
  fail(error: Error): void;
}

export class HostProcess {
  private readonly child: ChildProcess;
  private readonly connection: MessageConnection;
  private readonly pending = new Set<PendingRequest>();
  private readonly recentLines: string[] = [];
  private readonly logEmitter = new Emitter<HostLogLine>();
  private readonly exitEmitter = new Emitter<HostExit>();
  private exitInfo: HostExit | null = null;
  private stopRequested = false;
  readonly exited: Promise<HostExit>;

  readonly onLog: Event<HostLogLine> = this.logEmitter.event;
  readonly onExit: Event<HostExit> = this.exitEmitter.event;

  constructor(private readonly options: HostProcessOptions) {
    this.child = fork(options.modulePath, [], {
      execArgv: [],
      cwd: options.cwd,
      // The extension host may run inside Electron; the child must run as plain Node.
      env: { ...options.env, ELECTRON_RUN_AS_NODE: '1' },
      silent: true,
      serialization: 'json',
    });
    this.connection = createMessageConnection(new IPCMessageReader(this.child), new IPCMessageWriter(this.child));
    this.connection.onNotification(logLine, (params) => this.emitLog({ level: params.level, message: params.message, source: 'protocol' }));
    this.pipeLines(this.child.stdout, 'stdout', 'info');
    this.pipeLines(this.child.stderr, 'stderr', 'error');
    const outputDrained = Promise.all([this.child.stdout, this.child.stderr].map((stream) => (stream ? new Promise<void>((done) => stream.once('close', done)) : Promise.resolve())));
    this.exited = new Promise((resolve) => {
      // 'exit' fails pending requests at once; the exit is reported once stdout/stderr are drained (so it holds
      // the last lines), or shortly after. ('close' is not used: with an IPC channel it may never fire.)
      const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
        if (this.exitInfo) return;
        this.exitInfo = { code, signal, expected: this.stopRequested, lastLines: [] };
        for (const request of [...this.pending]) request.fail(new HostExitedError('a request', this.exitInfo));
        this.connection.dispose();
        void Promise.race([outputDrained, new Promise((done) => setTimeout(done, 1_000))]).then(() => {
          const exit = { ...this.exitInfo!, lastLines: [...this.recentLines] };
          this.exitInfo = exit;
          this.exitEmitter.fire(exit);
          resolve(exit);
        });
      };
      this.child.once('exit', onExit);
      this.child.once('error', (error) => {
        this.remember(`failed to start the host: ${error.message}`);
        if (this.child.pid === undefined) onExit(null, null);
      });
    });
    this.connection.listen();
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get hasExited(): boolean {
    return this.exitInfo !== null;
  }

  onNotification<P>(type: NotificationType<P>, handler: (params: P) => void): Disposable {
    return this.connection.onNotification(type, handler);
  }

  request<P, R>(type: RequestType<P, R, void>, params: P, options: RequestOptions = {}): Promise<R> {
    if (this.exitInfo) return Promise.reject(new HostExitedError(type.method, this.exitInfo));
    if (options.token?.isCancellationRequested) return Promise.reject(new RequestCancelledError(type.method));
    const timeoutMs = options.timeoutMs ?? this.options.defaultTimeoutMs ?? DEFAULT_TIMEOUT_MS;
    return new Promise<R>((resolve, reject) => {
      const source = new CancellationTokenSource();
      let settled = false;
      const settle = (action: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        cancellation?.dispose();
        this.pending.delete(entry);
        action();
        source.dispose();
      };
      const entry: PendingRequest = {
        fail: (error) =>
          settle(() => {
            // Tells the host to stop working on it (a no-op once the process is gone).
            if (!this.exitInfo) source.cancel();
            reject(error instanceof HostExitedError ? new HostExitedError(type.method, error.exit) : error);
          }),
      };
      this.pending.add(entry);
      const timer = setTimeout(() => entry.fail(new RequestTimeoutError(type.method, timeoutMs)), timeoutMs);
      const cancellation = options.token?.onCancellationRequested(() => entry.fail(new RequestCancelledError(type.method)));
      this.connection.sendRequest(type, params as RequestParam<P>, source.token).then(
        (result) => settle(() => resolve(result)),
        (error: unknown) =>
          settle(() => {
            if (this.exitInfo) reject(new HostExitedError(type.method, this.exitInfo));
            else if (error instanceof ResponseError) reject(new HostRequestFailedError(type.method, error.code, error.message));
            else reject(error instanceof Error ? error : new Error(String(error)));
          }),
      );
    });
  }

  /** Asks the host to shut down cleanly, then disconnects; kills it if it is still there after `graceMs`. */
  async stop(graceMs = 5_000): Promise<HostExit> {
    if (this.exitInfo) return this.exitInfo;
    this.stopRequested = true;
    await this.request(hostShutdown, {}, { timeoutMs: graceMs }).catch(() => undefined);
    if (!this.exitInfo && this.child.connected) this.child.disconnect();
    const killTimer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    const exit = await this.exited;
    clearTimeout(killTimer);
    return exit;
  }

  /** Ends the process at once (SIGKILL), e.g. when the extension host itself is going away. */
  kill(): void {
    this.stopRequested = true;
    if (!this.exitInfo) this.child.kill('SIGKILL');
  }

  private pipeLines(stream: NodeJS.ReadableStream | null, source: 'stdout' | 'stderr', level: LogLevel): void {
    if (!stream) return;
    let buffered = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) if (line.trim() !== '') this.emitLog({ level, message: line, source });
    });
    stream.on('end', () => {
      if (buffered.trim() !== '') this.emitLog({ level, message: buffered, source });
    });
  }

  private emitLog(line: HostLogLine): void {
    // An exit report shows what matters for a crash: printed output and info-or-worse log lines.
    if (line.source !== 'protocol' || (line.level !== 'trace' && line.level !== 'debug')) this.remember(line.message);
    this.logEmitter.fire(line);
  }

  private remember(line: string): void {
    this.recentLines.push(line);
    const keep = this.options.keepLines ?? 20;
    if (this.recentLines.length > keep) this.recentLines.splice(0, this.recentLines.length - keep);
  }
}
