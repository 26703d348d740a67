import type { Logger } from '../core/logger';

/** What a command needs from its process; tests pass their own. */
export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  env: Record<string, string | undefined>;
  isTTY: boolean;
  /** Aborted on SIGINT/SIGTERM. */
  signal: AbortSignal;
  /** How the user called the command when not by its `ng_*` name (e.g. `gym eval run`), for messages. */
  displayName?: string;
}

export function processIO(signal: AbortSignal): CliIO {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    cwd: process.cwd(),
    env: process.env,
    isTTY: Boolean(process.stderr.isTTY),
    signal,
  };
}

/** Log lines on stderr: warnings and errors always, info only when asked (`+verbose=true`). */
export function stderrLogger(io: CliIO, verbose: boolean): Logger {
  const line = (level: string) => (message: string) => io.stderr(`[${level}] ${message}\n`);
  return {
    trace: () => {},
    debug: verbose ? line('debug') : () => {},
    info: verbose ? line('info') : () => {},
    warn: line('warn'),
    error: line('error'),
  };
}
