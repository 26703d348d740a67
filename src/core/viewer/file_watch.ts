import { watch, type FSWatcher } from 'node:fs';
import { stat } from 'node:fs/promises';

/**
 * Calls `onChange` when a file's size or identity changes: `fs.watch` for a prompt reaction where the platform
 * supports it, and a periodic `stat` because `fs.watch` misses changes on network file systems, some editors'
 * atomic replaces, and files that do not exist yet. Changes are coalesced; `onChange` never runs concurrently
 * with itself.
 */
export interface FileWatch {
  close(): void;
}

export interface WatchOptions {
  pollIntervalMs?: number;
  debounceMs?: number;
  onError?: (error: unknown) => void;
}

export function watchFileChanges(path: string, onChange: () => Promise<void> | void, options: WatchOptions = {}): FileWatch {
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const debounceMs = options.debounceMs ?? 50;
  let closed = false;
  let running = false;
  let again = false;
  let timer: NodeJS.Timeout | null = null;
  let lastSignature: string | null = null;
  let watcher: FSWatcher | null = null;

  const run = async (): Promise<void> => {
    if (closed) return;
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      await onChange();
    } catch (error) {
      options.onError?.(error);
    } finally {
      running = false;
      if (again && !closed) {
        again = false;
        schedule();
      }
    }
  };

  const schedule = (): void => {
    if (closed || timer) return;
    timer = setTimeout(() => {
      timer = null;
      void run();
    }, debounceMs);
  };

  const poll = async (): Promise<void> => {
    try {
      const info = await stat(path);
      const signature = `${info.dev}:${info.ino}:${info.size}:${info.mtimeMs}`;
      if (lastSignature !== null && signature !== lastSignature) schedule();
      lastSignature = signature;
    } catch {
      if (lastSignature !== null && lastSignature !== 'missing') schedule();
      lastSignature = 'missing';
    }
  };

  void poll();
  const interval = setInterval(() => void poll(), pollIntervalMs);
  interval.unref?.();
  try {
    watcher = watch(path, { persistent: false }, () => schedule());
    watcher.on('error', () => {
      watcher?.close();
      watcher = null;
    });
  } catch {
    watcher = null; // polling alone
  }

  return {
    close(): void {
      closed = true;
      clearInterval(interval);
      if (timer) clearTimeout(timer);
      watcher?.close();
    },
  };
}
