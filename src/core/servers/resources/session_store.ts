/**
 * Sessions by id, with a cap: NeMo Gym never frees environments, so a long run (or a hostile client) grows
 * without bound. We drop a session when it is verified, and the least recently used ones beyond the cap.
 */
export class SessionStore<T> {
  private readonly sessions = new Map<string, T>();

  constructor(private readonly maxSessions: number) {}

  get(id: string): T | undefined {
    const session = this.sessions.get(id);
    if (session !== undefined) {
      this.sessions.delete(id);
      this.sessions.set(id, session);
    }
    return session;
  }

  set(id: string, session: T): void {
    this.sessions.delete(id);
    this.sessions.set(id, session);
    while (this.sessions.size > this.maxSessions) {
      const oldest = this.sessions.keys().next().value as string;
      this.sessions.delete(oldest);
    }
  }

  delete(id: string): void {
    this.sessions.delete(id);
  }

  get size(): number {
    return this.sessions.size;
  }
}
