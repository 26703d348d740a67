/**
 * A pool of interchangeable endpoints (policy model replicas, environment hosts) and the one decision it makes:
 * which endpoint serves the next request. A session (one rollout) sticks to the endpoint it started on, so every
 * turn of a rollout reaches the same replica (its prefix cache); a new session goes to the least-loaded healthy
 * endpoint. An endpoint that refuses a connection, or fails `failuresToEject` times in a row, is taken out: the
 * requests in flight on it are told (their lease's `signal` aborts) so that callers can retry them elsewhere, and it
 * is probed back after a back-off that doubles with each ejection (1 s, 2 s, ... 30 s). Without a `probe`, the first
 * request after the back-off is the probe (half-open). Per-endpoint counts, errors and latency are kept for display.
 */

export interface PoolMember<T> {
  /** What is shown (a URL without credentials or query). */
  label: string;
  value: T;
}

export interface EndpointStats {
  label: string;
  healthy: boolean;
  inFlight: number;
  /** Requests finished (succeeded or failed). */
  requests: number;
  errors: number;
  /** Times it was taken out. */
  ejections: number;
  /** Sessions that started on it. */
  sessions: number;
  latencyP50Ms: number | null;
}

export interface EndpointPoolOptions {
  /** Failures in a row that take an endpoint out (default 3); a refused connection takes it out at once. */
  failuresToEject?: number;
  /** Back-off before the n-th probe of an endpoint taken out (n ≥ 1). */
  backoffMs?: (ejections: number) => number;
  /** Resolves true when the endpoint answers again; without it, the next request after the back-off probes. */
  probe?: (label: string) => Promise<boolean>;
  /** Called when an endpoint is taken out or comes back. */
  onHealthChange?: (label: string, healthy: boolean, reason: string) => void;
  now?: () => number;
  /** Sessions remembered (oldest forgotten first); default 100,000. */
  maxSessions?: number;
}

export interface Lease<T> {
  index: number;
  label: string;
  value: T;
  /** Aborted when this endpoint is taken out while the request is in flight. */
  signal: AbortSignal;
  /** The request succeeded (or failed for a reason that is not the endpoint's, e.g. a 4xx). */
  succeed(): void;
  /** The request failed because of the endpoint: `refused` takes it out at once. */
  fail(kind: 'refused' | 'error', reason?: string): void;
}

const LATENCY_SAMPLES = 1024;

interface MemberState {
  healthy: boolean;
  inFlight: number;
  requests: number;
  errors: number;
  consecutiveFailures: number;
  ejections: number;
  /** Ejections since the last success: the back-off grows with them. */
  downStreak: number;
  downUntil: number;
  sessions: number;
  latencies: number[];
  latencyNext: number;
  ejected: AbortController;
  probeTimer: NodeJS.Timeout | null;
}

export function defaultBackoffMs(ejections: number): number {
  return Math.min(30_000, 1000 * 2 ** Math.max(0, ejections - 1));
}

export class EndpointPool<T> {
  private readonly states: MemberState[];
  private readonly sessionOf = new Map<string, number>();
  private readonly failuresToEject: number;
  private readonly backoffMs: (ejections: number) => number;
  private readonly now: () => number;
  private readonly maxSessions: number;
  private rotation = 0;
  private closed = false;

  constructor(
    readonly members: readonly PoolMember<T>[],
    private readonly options: EndpointPoolOptions = {},
  ) {
    if (members.length === 0) throw new Error('An endpoint pool needs at least one endpoint.');
    this.failuresToEject = Math.max(1, options.failuresToEject ?? 3);
    this.backoffMs = options.backoffMs ?? defaultBackoffMs;
    this.now = options.now ?? Date.now;
    this.maxSessions = options.maxSessions ?? 100_000;
    this.states = members.map(() => ({
      healthy: true, inFlight: 0, requests: 0, errors: 0, consecutiveFailures: 0, ejections: 0, downStreak: 0, downUntil: 0,
      sessions: 0, latencies: [], latencyNext: 0, ejected: new AbortController(), probeTimer: null,
    }));
  }

  get size(): number {
    return this.members.length;
  }

  /**
   * The endpoint for the next request of `session` (its own while it is healthy; otherwise the least-loaded healthy
   * one, which the session then sticks to), never one of `exclude`. Null when no endpoint is usable.
   */
  choose(session?: string, exclude?: ReadonlySet<number>): Lease<T> | null {
    const usable = (index: number) => !exclude?.has(index) && this.usable(index);
    let index = session === undefined ? undefined : this.sessionOf.get(session);
    if (index === undefined || !usable(index)) {
      index = this.leastLoaded(usable);
      if (index === undefined) return null;
      this.states[index]!.sessions += 1;
      if (session !== undefined) this.bind(session, index);
    }
    return this.lease(index);
  }

  /** The endpoint a session sticks to, if any. */
  endpointOf(session: string): number | undefined {
    return this.sessionOf.get(session);
  }

  healthy(index: number): boolean {
    return this.states[index]!.healthy;
  }

  stats(): EndpointStats[] {
    return this.members.map((member, index) => {
      const state = this.states[index]!;
      return {
        label: member.label,
        healthy: state.healthy,
        inFlight: state.inFlight,
        requests: state.requests,
        errors: state.errors,
        ejections: state.ejections,
        sessions: state.sessions,
        latencyP50Ms: median(state.latencies),
      };
    });
  }

  /** Stops the probes. */
  close(): void {
    this.closed = true;
    for (const state of this.states) if (state.probeTimer) clearTimeout(state.probeTimer);
  }

  private usable(index: number): boolean {
    const state = this.states[index]!;
    if (state.healthy) return true;
    // Half-open: without a probe, the first request after the back-off tries the endpoint again.
    if (!this.options.probe && this.now() >= state.downUntil) {
      this.restore(index, 'back-off over; trying it again');
      state.consecutiveFailures = this.failuresToEject - 1;
      return true;
    }
    return false;
  }

  private leastLoaded(usable: (index: number) => boolean): number | undefined {
    let best: number | undefined;
    const n = this.states.length;
    for (let k = 0; k < n; k++) {
      const index = (this.rotation + k) % n;
      if (!usable(index)) continue;
      const state = this.states[index]!;
      const bestState = best === undefined ? undefined : this.states[best]!;
      if (!bestState || state.inFlight < bestState.inFlight || (state.inFlight === bestState.inFlight && state.sessions < bestState.sessions)) best = index;
    }
    this.rotation = (this.rotation + 1) % n;
    return best;
  }

  private bind(session: string, index: number): void {
    this.sessionOf.delete(session);
    this.sessionOf.set(session, index);
    if (this.sessionOf.size > this.maxSessions) this.sessionOf.delete(this.sessionOf.keys().next().value!);
  }

  private lease(index: number): Lease<T> {
    const state = this.states[index]!;
    const started = this.now();
    const signal = state.ejected.signal;
    state.inFlight += 1;
    let finished = false;
    const finish = () => {
      if (finished) return false;
      finished = true;
      state.inFlight -= 1;
      state.requests += 1;
      state.latencies[state.latencyNext] = this.now() - started;
      state.latencyNext = (state.latencyNext + 1) % LATENCY_SAMPLES;
      return true;
    };
    return {
      index,
      label: this.members[index]!.label,
      value: this.members[index]!.value,
      signal,
      succeed: () => {
        if (!finish()) return;
        state.consecutiveFailures = 0;
        if (!signal.aborted) state.downStreak = 0;
      },
      fail: (kind, reason) => {
        if (!finish()) return;
        state.errors += 1;
        this.reportFailure(index, kind, reason);
      },
    };
  }

  /** A failure seen outside a lease (e.g. a refused connection inside a client's own retries). */
  reportFailure(index: number, kind: 'refused' | 'error', reason?: string): void {
    const state = this.states[index]!;
    if (!state.healthy) return;
    state.consecutiveFailures += 1;
    if (kind === 'refused') this.eject(index, reason ?? 'connection refused');
    else if (state.consecutiveFailures >= this.failuresToEject) this.eject(index, reason ?? `${state.consecutiveFailures} failures in a row`);
  }

  private eject(index: number, reason: string): void {
    const state = this.states[index]!;
    state.healthy = false;
    state.ejections += 1;
    state.downStreak += 1;
    const wait = this.backoffMs(state.downStreak);
    state.downUntil = this.now() + wait;
    const ejected = state.ejected;
    state.ejected = new AbortController();
    this.options.onHealthChange?.(this.members[index]!.label, false, `${reason}; probing again in ${(wait / 1000).toFixed(1)} s`);
    ejected.abort(new Error(`${this.members[index]!.label} was taken out: ${reason}`));
    if (this.options.probe) this.scheduleProbe(index, wait);
  }

  private scheduleProbe(index: number, wait: number): void {
    const state = this.states[index]!;
    if (this.closed) return;
    state.probeTimer = setTimeout(() => {
      state.probeTimer = null;
      void this.options.probe!(this.members[index]!.label).then(
        (ok) => this.afterProbe(index, ok),
        () => this.afterProbe(index, false),
      );
    }, wait);
    state.probeTimer.unref();
  }

  private afterProbe(index: number, ok: boolean): void {
    if (this.closed) return;
    const state = this.states[index]!;
    if (ok) {
      this.restore(index, 'it answers again');
      return;
    }
    state.downStreak += 1;
    const wait = this.backoffMs(state.downStreak);
    state.downUntil = this.now() + wait;
    this.scheduleProbe(index, wait);
  }

  private restore(index: number, reason: string): void {
    const state = this.states[index]!;
    state.healthy = true;
    state.consecutiveFailures = 0;
    this.options.onHealthChange?.(this.members[index]!.label, true, reason);
  }
}

function median(samples: readonly number[]): number | null {
  if (samples.length === 0) return null;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

/** A URL as it may be shown: scheme, host and path; no user, password, query or fragment. */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname.replace(/\/+$/, '')}`;
  } catch {
    return '<invalid URL>';
  }
}

/** True when `error` (or one of its causes) is a refused connection. */
export function isConnectionRefused(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current && depth < 5; depth++) {
    if ((current as NodeJS.ErrnoException).code === 'ECONNREFUSED') return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
