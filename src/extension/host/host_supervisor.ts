/**
 * Keeps the host process: starts it on demand, restarts it once automatically after an unexpected exit (again
 * only after it has run stably for a while, or after a restart the user asked for), and gives every process
 * its own lifetime: disposables registered for one host are released when it goes, before the next one starts.
 */
import { Emitter, type Event } from 'vscode-jsonrpc/node';
import { DisposableStore } from './disposable_store';
import type { HostExit, HostProcess } from './host_process';

export type HostState =
  | { kind: 'stopped' }
  | { kind: 'starting' }
  | { kind: 'running'; pid: number | undefined }
  | { kind: 'stopping' }
  /** It exited on its own; `restarting` when the automatic restart is under way. */
  | { kind: 'crashed'; exit: HostExit; restarting: boolean };

export interface HostSupervisorOptions {
  /** Forks a new host (reading the current settings and key). */
  launch: () => Promise<HostProcess> | HostProcess;
  /** Sets a new host up (notification handlers, hello, resuming work); registers its cleanup in `lifetime`. */
  onStarted: (host: HostProcess, lifetime: DisposableStore) => Promise<void> | void;
  /** A host that ran this long before crashing earns a new automatic restart. */
  stableAfterMs?: number;
  now?: () => number;
}

const DEFAULT_STABLE_AFTER_MS = 5 * 60_000;

export class HostSupervisor {
  private host: HostProcess | null = null;
  private lifetime: DisposableStore | null = null;
  private starting: Promise<HostProcess> | null = null;
  private stateValue: HostState = { kind: 'stopped' };
  private automaticRestartsLeft = 1;
  private startedAt = 0;
  private readonly stateEmitter = new Emitter<HostState>();
  readonly onDidChangeState: Event<HostState> = this.stateEmitter.event;

  constructor(private readonly options: HostSupervisorOptions) {}

  get state(): HostState {
    return this.stateValue;
  }

  /** The running host, if any (no start). */
  get current(): HostProcess | null {
    return this.host && !this.host.hasExited ? this.host : null;
  }

  /** The running host, started if needed. */
  ensureRunning(): Promise<HostProcess> {
    const running = this.current;
    if (running && !this.starting) return Promise.resolve(running);
    this.starting ??= this.start().finally(() => {
      this.starting = null;
    });
    return this.starting;
  }

  /** Stops the current host (if any) and starts a new one; the user asked, so automatic restarts are re-armed. */
  async restart(): Promise<HostProcess> {
    this.automaticRestartsLeft = 1;
    await this.stop();
    return this.ensureRunning();
  }

  async stop(): Promise<void> {
    await this.starting?.catch(() => undefined);
    const host = this.host;
    if (!host) return;
    this.setState({ kind: 'stopping' });
    this.releaseHost();
    await host.stop();
    this.setState({ kind: 'stopped' });
  }

  /** For deactivation when there is no time for a clean stop. */
  kill(): void {
    const host = this.host;
    this.releaseHost();
    host?.kill();
    this.setState({ kind: 'stopped' });
  }

  dispose(): void {
    this.kill();
    this.stateEmitter.dispose();
  }

  private async start(): Promise<HostProcess> {
    this.setState({ kind: 'starting' });
    let host: HostProcess;
    try {
      host = await this.options.launch();
    } catch (error) {
      this.setState({ kind: 'stopped' });
      throw error;
    }
    const lifetime = new DisposableStore();
    this.host = host;
    this.lifetime = lifetime;
    this.startedAt = (this.options.now ?? Date.now)();
    lifetime.add(host.onExit((exit) => this.onExit(host, exit)));
    try {
      await this.options.onStarted(host, lifetime);
      if (host.hasExited) throw new Error('The host process exited while starting.');
    } catch (error) {
      if (this.host === host) this.releaseHost();
      host.kill();
      const exit = await host.exited;
      this.setState(exit.expected ? { kind: 'stopped' } : { kind: 'crashed', exit, restarting: false });
      throw error;
    }
    this.setState({ kind: 'running', pid: host.pid });
    return host;
  }

  private onExit(host: HostProcess, exit: HostExit): void {
    if (this.host !== host || exit.expected) return;
    this.releaseHost();
    const ranFor = (this.options.now ?? Date.now)() - this.startedAt;
    if (ranFor >= (this.options.stableAfterMs ?? DEFAULT_STABLE_AFTER_MS)) this.automaticRestartsLeft = 1;
    const restarting = this.automaticRestartsLeft > 0;
    this.setState({ kind: 'crashed', exit, restarting });
    if (!restarting) return;
    this.automaticRestartsLeft -= 1;
    // A failed restart is reported through the state; nothing awaits this promise.
    this.ensureRunning().catch(() => undefined);
  }

  private releaseHost(): void {
    this.lifetime?.dispose();
    this.lifetime = null;
    this.host = null;
  }

  private setState(state: HostState): void {
    this.stateValue = state;
    this.stateEmitter.fire(state);
  }
}
