/**
 * The extension's side of the host: the supervised process, the servers the user wants running, and the
 * routing of host notifications. Editor-free (everything editor-specific is injected), so restart behaviour is
 * tested against a real child process.
 *
 * Lifetimes: handlers registered on a host process live in that host's `DisposableStore` and are released
 * when it exits; listeners of this class live as long as the extension.
 */
import type { NotificationType, RequestType } from 'vscode-jsonrpc/node';
import * as protocol from '../../host/protocol';
import type { DisposableStore } from './disposable_store';
import { HostProcess, type HostLogLine, type RequestOptions } from './host_process';
import { HostSupervisor, type HostState } from './host_supervisor';

export interface ServersRequest {
  argv: string[];
  cwd: string;
}

export interface CollectionEvents {
  progress(params: protocol.CollectionProgressParams): void;
  notice(params: protocol.CollectionNoticeParams): void;
  finished(params: protocol.CollectionFinishedParams): void;
}

export interface GymHostOptions {
  modulePath: string;
  /** The host's environment (with the API key), computed at every start. */
  environment: () => Promise<Record<string, string | undefined>>;
  cwd?: string;
  log: (line: HostLogLine) => void;
  collectionEvents: CollectionEvents;
  /** After a (re)start and the servers it should have: e.g. resume collections the last host lost. */
  afterStart?: (host: HostProcess) => Promise<void>;
  serversStartTimeoutMs?: number;
  requestTimeoutMs?: number;
}

const DEFAULT_SERVERS_START_TIMEOUT_MS = 5 * 60_000;

export class GymHost {
  readonly supervisor: HostSupervisor;
  private serversWanted: ServersRequest | null = null;
  /** The start under way, shared by everyone who needs the servers meanwhile (a second start would conflict). */
  private serversStarting: Promise<protocol.ServersStatus> | null = null;
  private serversStatus: protocol.ServersStatus | null = null;
  private readonly serversListeners = new Set<(status: protocol.ServersStatus | null) => void>();

  constructor(private readonly options: GymHostOptions) {
    this.supervisor = new HostSupervisor({
      launch: async () =>
        new HostProcess({ modulePath: options.modulePath, env: await options.environment(), cwd: options.cwd, defaultTimeoutMs: options.requestTimeoutMs }),
      onStarted: (host, lifetime) => this.setUp(host, lifetime),
    });
    this.supervisor.onDidChangeState((state) => {
      if (state.kind !== 'running') this.setServersStatus(null);
    });
  }

  get hostState(): HostState {
    return this.supervisor.state;
  }

  get servers(): protocol.ServersStatus | null {
    return this.serversStatus;
  }

  onServersChanged(listener: (status: protocol.ServersStatus | null) => void): { dispose(): void } {
    this.serversListeners.add(listener);
    return { dispose: () => this.serversListeners.delete(listener) };
  }

  /** A request to the host, started if needed. */
  async request<P, R>(type: RequestType<P, R, void>, params: P, options?: RequestOptions): Promise<R> {
    const host = await this.supervisor.ensureRunning();
    return host.request(type, params, options);
  }

  /** Starts the servers (and the host first); after a host restart they are started again with the same arguments. */
  async startServers(request: ServersRequest, options: RequestOptions = {}): Promise<protocol.ServersStatus> {
    this.serversWanted = request;
    const host = await this.supervisor.ensureRunning();
    return this.startServersOn(host, request, options);
  }

  private startServersOn(host: HostProcess, request: ServersRequest, options: RequestOptions = {}): Promise<protocol.ServersStatus> {
    this.serversStarting ??= (async () => {
      const current = await host.request(protocol.serversStatus, {});
      if (current.state === 'running') return current;
      return host.request(protocol.serversStart, request, { timeoutMs: this.options.serversStartTimeoutMs ?? DEFAULT_SERVERS_START_TIMEOUT_MS, ...options });
    })().finally(() => {
      this.serversStarting = null;
    });
    return this.serversStarting;
  }

  async stopServers(): Promise<protocol.ServersStatus | null> {
    this.serversWanted = null;
    const host = this.supervisor.current;
    if (!host) return null;
    return host.request(protocol.serversStop, {}, { timeoutMs: 60_000 });
  }

  /** A new host process; servers that were wanted are started again with `request` (new settings). */
  async restart(request: ServersRequest | null): Promise<void> {
    if (request && this.serversWanted) this.serversWanted = request;
    await this.supervisor.restart();
  }

  async stop(): Promise<void> {
    await this.supervisor.stop();
  }

  dispose(): void {
    this.supervisor.dispose();
  }

  private async setUp(host: HostProcess, lifetime: DisposableStore): Promise<void> {
    const on = <P>(type: NotificationType<P>, handler: (params: P) => void) => lifetime.add(host.onNotification(type, handler));
    lifetime.add(host.onLog((line) => this.options.log(line)));
    on(protocol.serversStateChanged, (status) => this.setServersStatus(status));
    on(protocol.collectionProgress, (params) => this.options.collectionEvents.progress(params));
    on(protocol.collectionNotice, (params) => this.options.collectionEvents.notice(params));
    on(protocol.collectionFinished, (params) => this.options.collectionEvents.finished(params));
    await host.request(protocol.hostHello, {}, { timeoutMs: 20_000 });
    this.setServersStatus(await host.request(protocol.serversStatus, {}));
    if (this.serversWanted) {
      await this.startServersOn(host, this.serversWanted)
        .catch((error: unknown) => this.options.log({ level: 'error', message: `Restarting the servers failed: ${error instanceof Error ? error.message : String(error)}`, source: 'protocol' }));
    }
    if (this.options.afterStart) {
      // Not awaited by the start: resuming may take the whole collection's time.
      void this.options.afterStart(host).catch((error: unknown) =>
        this.options.log({ level: 'error', message: `Resuming after the host start failed: ${error instanceof Error ? error.message : String(error)}`, source: 'protocol' }),
      );
    }
  }

  private setServersStatus(status: protocol.ServersStatus | null): void {
    this.serversStatus = status;
    for (const listener of this.serversListeners) listener(status);
  }
}
