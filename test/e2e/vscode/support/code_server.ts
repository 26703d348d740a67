/**
 * A real VS Code from the npm registry: code-server 4.139.1, installed once into a cache folder outside the
 * repository and reused (REAL_EDITOR_TESTS.md). It needs Node 24 (`source scripts/node24.sh`), Debian's
 * libkrb5-dev for a native module, and npm 11's install-script policy opened for its own build.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

export const CODE_SERVER_VERSION = '4.139.1';

export function cacheRoot(): string {
  return process.env.GYM_ROLLOUTS_CACHE ?? join(homedir(), '.cache', 'gym-rollouts');
}

function nodeEnvironment(): NodeJS.ProcessEnv {
  const nodeDirectory = dirname(dirname(process.execPath));
  return {
    ...process.env,
    PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`,
    // Native builds (node-gyp) need the headers of the Node that runs code-server, offline.
    npm_config_nodedir: process.env.npm_config_nodedir ?? nodeDirectory,
  };
}

function codeServerBinary(directory: string): string {
  return join(directory, 'node_modules', '.bin', 'code-server');
}

function works(binary: string): boolean {
  if (!existsSync(binary)) return false;
  const result = spawnSync(binary, ['--version'], { env: { ...nodeEnvironment(), XDG_CONFIG_HOME: join(cacheRoot(), 'xdg') }, encoding: 'utf8', timeout: 60_000 });
  return result.status === 0 && result.stdout.includes(CODE_SERVER_VERSION);
}

/** The code-server binary, installed into the cache on first use (3–4 minutes), reused afterwards. */
export function ensureCodeServer(log: (line: string) => void = () => undefined): string {
  if (Number(process.versions.node.split('.')[0]) < 24) throw new Error(`code-server ${CODE_SERVER_VERSION} needs Node 24: run \`source scripts/node24.sh\` first (this is Node ${process.version}).`);
  const directory = join(cacheRoot(), `code-server-${CODE_SERVER_VERSION}`);
  const binary = codeServerBinary(directory);
  if (works(binary)) return binary;
  log(`installing code-server ${CODE_SERVER_VERSION} into ${directory} (a few minutes, once)`);
  mkdirSync(directory, { recursive: true });
  // npm 11 runs dependency install scripts only for packages this policy names; code-server's postinstall
  // builds VS Code's native modules, argon2 its password hashing.
  writeFileSync(
    join(directory, 'package.json'),
    `${JSON.stringify({ name: 'gym-rollouts-code-server-cache', private: true, allowScripts: { 'code-server': true, argon2: true } }, null, 2)}\n`,
  );
  const npm = join(dirname(process.execPath), 'npm');
  const result = spawnSync(existsSync(npm) ? npm : 'npm', ['install', '--no-audit', '--no-fund', '--save-exact', `code-server@${CODE_SERVER_VERSION}`], {
    cwd: directory,
    env: nodeEnvironment(),
    encoding: 'utf8',
    timeout: 15 * 60_000,
  });
  if (result.status !== 0 || !works(binary)) {
    throw new Error(`installing code-server failed (exit ${result.status}). Debian needs libkrb5-dev.\n${result.stdout}\n${result.stderr}`);
  }
  return binary;
}

export interface CodeServerDirectories {
  userDataDir: string;
  extensionsDir: string;
  /** XDG config home, so code-server does not write ~/.config/code-server. */
  configHome: string;
}

export function installExtension(binary: string, directories: CodeServerDirectories, vsixPath: string): string {
  const result = spawnSync(binary, ['--extensions-dir', directories.extensionsDir, '--user-data-dir', directories.userDataDir, '--install-extension', vsixPath], {
    env: { ...nodeEnvironment(), XDG_CONFIG_HOME: directories.configHome },
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (result.status !== 0) throw new Error(`installing ${vsixPath} failed:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface RunningCodeServer {
  url: string;
  process: ChildProcess;
  output: string[];
  stop(): Promise<void>;
}

export async function startCodeServer(binary: string, directories: CodeServerDirectories, workspace: string, env: NodeJS.ProcessEnv = {}): Promise<RunningCodeServer> {
  const port = await freePort();
  const args = [
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--user-data-dir', directories.userDataDir,
    '--extensions-dir', directories.extensionsDir,
    workspace,
  ];
  const child = spawn(binary, args, { env: { ...nodeEnvironment(), XDG_CONFIG_HOME: directories.configHome, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`code-server exited (${child.exitCode}):\n${output.join('')}`);
    try {
      const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`code-server did not answer on ${url}:\n${output.join('')}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return {
    url,
    process: child,
    output,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
