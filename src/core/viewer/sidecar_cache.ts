import { stat } from 'node:fs/promises';

/**
 * One read per version of a sidecar file: repeated and concurrent requests share it until the file's identity,
 * size or modification time changes. A page refreshes its summary on every append of a live run, and a failures
 * sidecar can be tens of megabytes.
 */
export class SidecarCache<T> {
  private readonly entries = new Map<string, { signature: string; value: Promise<T> }>();

  constructor(private readonly read: (path: string) => Promise<T>) {}

  async get(path: string): Promise<T> {
    const info = await stat(path).catch(() => null);
    const signature = info ? `${info.dev}:${info.ino}:${info.size}:${info.mtimeMs}` : 'missing';
    const cached = this.entries.get(path);
    if (cached?.signature === signature) return cached.value;
    const value = this.read(path);
    this.entries.set(path, { signature, value });
    value.catch(() => {
      if (this.entries.get(path)?.value === value) this.entries.delete(path);
    });
    return value;
  }
}
