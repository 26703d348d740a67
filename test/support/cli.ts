import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './free_port';
import { REPO_ROOT, WORKPLACE_CSV_DIR } from './paths';

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function binPath(command: string): string {
  if (!existsSync(join(REPO_ROOT, 'dist', 'cli.js'))) throw new Error('dist/cli.js is missing: run `npm run build` first (npm test does).');
  return join(REPO_ROOT, 'bin', `${command}.js`);
}

/** A running `ng_*` command (a real child process). */
export class CliProcess {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  private readonly exited: Promise<CliResult>;

  constructor(command: string, args: string[], options: { cwd?: string; env?: Record<string, string | undefined> } = {}) {
    this.child = spawn(process.execPath, [binPath(command), ...args], {
      cwd: options.cwd ?? REPO_ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout!.on('data', (chunk: Buffer) => (this.stdout += chunk.toString('utf8')));
    this.child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString('utf8')));
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal, stdout: this.stdout, stderr: this.stderr })));
  }

  /** Resolves when stdout or stderr matches (checked on every chunk); rejects on exit or timeout, showing the output so far. */
  waitFor(pattern: RegExp, timeoutMs = 60_000): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const matches = () => pattern.test(this.stdout) || pattern.test(this.stderr);
      const done = (error?: Error) => {
        clearTimeout(timer);
        this.child.stdout!.off('data', check);
        this.child.stderr!.off('data', check);
        this.child.off('exit', exited);
        if (error) reject(error);
        else resolve();
      };
      // Listeners added after the constructor's see each chunk once it is appended to this.stdout/stderr.
      const check = () => {
        if (matches()) done();
      };
      const exited = () => done(matches() ? undefined : new Error(`exited before ${pattern}:\n${this.stdout}\n${this.stderr}`));
      const timer = setTimeout(() => done(new Error(`no ${pattern} within ${timeoutMs} ms:\n${this.stdout}\n${this.stderr}`)), timeoutMs);
      this.child.stdout!.on('data', check);
      this.child.stderr!.on('data', check);
      this.child.once('exit', exited);
      if (this.child.exitCode !== null || this.child.signalCode !== null) exited();
      else check();
    });
  }

  wait(): Promise<CliResult> {
    return this.exited;
  }

  async stop(signal: NodeJS.Signals = 'SIGINT'): Promise<CliResult> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exited;
  }
}

export async function runCli(command: string, args: string[], options: { cwd?: string; env?: Record<string, string | undefined>; timeoutMs?: number } = {}): Promise<CliResult> {
  const process = new CliProcess(command, args, options);
  const timer = setTimeout(() => process.child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
  const result = await process.wait();
  clearTimeout(timer);
  return result;
}

/**
 * `ng_collect_rollouts` arguments for a one-command collection with the oracle agent (no model, no key): the
 * workplace servers started for the run on a free head port, then stopped.
 */
export async function oracleCollectArgs(input: string, output: string, extra: string[] = []): Promise<string[]> {
  return [
    '+config_paths=[configs/workplace_assistant.yaml]',
    `+head_server={host: 127.0.0.1, port: ${await freePort()}}`,
    `+workplace_assistant_data_dir=${WORKPLACE_CSV_DIR}`,
    '+agent_name=workplace_assistant_oracle_agent',
    `+input_jsonl_fpath=${input}`,
    `+output_jsonl_fpath=${output}`,
    ...extra,
  ];
}
