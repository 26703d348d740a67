import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { Logger } from '../../core/logger';
import { closestKey, GLOBAL_OPTION_KEYS } from '../../core/config';
import { isFile } from '../../core/viewer/sidecars';
import { startViewerServer } from '../../core/viewer/viewer_server';
import { ViewerSession } from '../../core/viewer/viewer_session';
import { UsageError } from '../command_config';

/**
 * `ng_viewer <rollouts.jsonl> [--compare other.jsonl] [--input tasks.jsonl] [--port N] [--no-open] [--no-watch]`
 * (also NeMo Gym's `+jsonl_fpath=<file>`): serves the rollout viewer to a browser on 127.0.0.1, with a token in the
 * printed address, until interrupted.
 */

export interface NgViewerIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  cwd: string;
  signal?: AbortSignal;
}

const USAGE = `usage: ng_viewer <rollouts.jsonl> [--compare <other.jsonl>] [--input <tasks.jsonl>] [--port <n>] [--no-open] [--no-watch]
       ng_viewer +jsonl_fpath=<rollouts.jsonl> [+compare_jsonl_fpath=<file>] [+input_jsonl_fpath=<file>] [+server_port=<n>]
       ng_viewer --help | +help=true

Shows the rollouts in a browser: summary, pass@k, a filterable list, each conversation next to its ground
truth and the verifier's state diff, and a comparison with a second file. Follows the file while a
collection appends to it. Listens on 127.0.0.1 only; the printed address carries an access token.

  --compare <file>  a second rollout file of the same tasks (regressions and fixes per task)
  --input <file>    task rows to take missing ground truth from (default: <stem>_materialized_inputs.jsonl)
  --port <n>        port to listen on (default: a free one)
  --no-open         do not open a browser
  --no-watch        do not follow the file for appended rollouts

The address may end in a deep link: #rollout=<entry> (0-based among the file's lines) or
#rollout=<task>:<repeat>, then &turn=<n> to scroll to a turn; #tab=failures (or summary, rollouts,
compare) shows a tab. The address bar follows what you read.
`;

export interface NgViewerArgs {
  rollouts: string;
  compare: string | null;
  input: string | null;
  port: number;
  open: boolean;
  watch: boolean;
}


/** The NeMo Gym style options (`+key=value`) ng_viewer reads. */
const OPTION_KEYS = ['jsonl_fpath', 'compare_jsonl_fpath', 'input_jsonl_fpath', 'server_port', 'server_host'];

function parsePort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`not a port number: ${text}`);
  return port;
}

/** Parses the arguments; `warn` receives notes about ignored options. */
export function parseNgViewerArgs(argv: readonly string[], warn: (message: string) => void): NgViewerArgs | 'help' {
  let rollouts: string | null = null;
  let compare: string | null = null;
  let input: string | null = null;
  let port = 0;
  let open = true;
  let watch = true;
  for (let k = 0; k < argv.length; k++) {
    const arg = argv[k] as string;
    const takeValue = (flag: string): string => {
      const eq = arg.indexOf('=');
      if (arg.startsWith('--') && eq > 0) return arg.slice(eq + 1);
      const value = argv[++k];
      if (value === undefined) throw new UsageError(`${flag} needs a value`);
      return value;
    };
    const flag = arg.startsWith('--') ? arg.split('=')[0] : arg;
    if (arg === '-h' || arg === '--help') return 'help';
    if (flag === '--compare') compare = takeValue('--compare');
    else if (flag === '--input') input = takeValue('--input');
    else if (flag === '--port') port = parsePort(takeValue('--port'));
    else if (arg === '--no-open') open = false;
    else if (arg === '--no-watch') watch = false;
    else if (/^\+{1,2}[\w.]+=/.test(arg)) {
      const eq = arg.indexOf('=');
      const key = arg.slice(0, eq).replace(/^\++/, '');
      const value = arg.slice(eq + 1);
      if (key === 'jsonl_fpath') rollouts = value;
      else if (key === 'compare_jsonl_fpath') compare = value;
      else if (key === 'input_jsonl_fpath') input = value;
      else if (key === 'server_port') port = parsePort(value);
      else if (key === 'server_host') {
        if (value !== '127.0.0.1' && value !== 'localhost') warn(`ignoring +server_host=${value}: ng_viewer listens on 127.0.0.1 only`);
      } else if (key === 'h' || key === 'help') {
        if (value === 'true') return 'help';
        if (value !== 'false') throw new UsageError(`+${key} should be true or false, not ${JSON.stringify(value)}`);
      } else if (!GLOBAL_OPTION_KEYS.includes(key)) {
        const suggestion = closestKey(key, [...OPTION_KEYS, 'help']);
        throw new UsageError(`unknown option +${key}. ${suggestion !== undefined ? `Did you mean +${suggestion}?` : `ng_viewer takes: ${OPTION_KEYS.map((k) => `+${k}`).join(', ')}.`}`);
      }
    } else if (/^\+{1,2}(h|help)$/.test(arg)) return 'help';
    else if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}`);
    else if (rollouts === null) rollouts = arg;
    else throw new UsageError(`unexpected argument ${arg} (one rollout file; use --compare for a second)`);
  }
  if (rollouts === null) throw new UsageError('no rollout file given');
  return { rollouts, compare, input, port, open, watch };
}

/** The webview bundle: next to the CLI bundle (dist/webview), or in the source tree's dist. */
function findAssetsDir(cwd: string): string | null {
  const candidates = [
    process.env.GYM_ROLLOUTS_WEBVIEW_DIR,
    typeof __dirname === 'string' ? join(__dirname, 'webview') : undefined,
    typeof __dirname === 'string' ? resolve(__dirname, '../../../dist/webview') : undefined,
    join(cwd, 'dist', 'webview'),
  ];
  for (const dir of candidates) if (dir && existsSync(join(dir, 'viewer.js'))) return dir;
  return null;
}

function openBrowser(url: string, onError: (message: string) => void): void {
  const [command, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : ['xdg-open', [url]];
  try {
    const child = spawn(command as string, args as string[], { detached: true, stdio: 'ignore' });
    child.on('error', () => onError(`could not open a browser (${command}); open the address above yourself`));
    child.unref();
  } catch {
    onError('could not open a browser; open the address above yourself');
  }
}

function waitForStop(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolveStop) => {
    if (signal) {
      if (signal.aborted) return resolveStop();
      signal.addEventListener('abort', () => resolveStop(), { once: true });
      return;
    }
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolveStop();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(bytes < 100 * 1024 * 1024 ? 1 : 0)} MB`;
}

export async function runNgViewer(argv: string[], io: NgViewerIo): Promise<number> {
  let args: NgViewerArgs | 'help';
  try {
    args = parseNgViewerArgs(argv, (message) => io.stderr(`ng_viewer: ${message}\n`));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`ng_viewer: ${error.message}\n${USAGE}`);
    return 2;
  }
  if (args === 'help') {
    io.stdout(USAGE);
    return 0;
  }
  const rolloutsPath = resolve(io.cwd, args.rollouts);
  const comparePath = args.compare === null ? null : resolve(io.cwd, args.compare);
  const inputPath = args.input === null ? null : resolve(io.cwd, args.input);
  for (const [what, path] of [['rollout file', rolloutsPath], ['file to compare with', comparePath], ['input file', inputPath]] as const) {
    if (path !== null && !(await isFile(path))) {
      io.stderr(existsSync(path) ? `ng_viewer: the ${what} is not a regular file (a folder or a device): ${path}\n` : `ng_viewer: the ${what} does not exist: ${path}\n`);
      return 2;
    }
  }
  const assetsDir = findAssetsDir(io.cwd);
  if (assetsDir === null) {
    io.stderr('ng_viewer: the viewer bundle (dist/webview/viewer.js) was not found; run `npm run build`\n');
    return 1;
  }

  const logger: Logger = {
    trace: () => {},
    debug: () => {},
    info: () => {},
    warn: (message) => io.stderr(`ng_viewer: ${message}\n`),
    error: (message) => io.stderr(`ng_viewer: ${message}\n`),
  };
  const started = Date.now();
  const session = new ViewerSession({ rolloutsPath, comparePath, inputPath, live: args.watch, host: 'browser', logger });
  let lastPercent = -1;
  const unsubscribe = session.onEvent((event) => {
    if (event.type === 'indexProgress' && event.total > 64 * 1024 * 1024) {
      const percent = Math.floor((event.bytes / event.total) * 10) * 10;
      if (percent !== lastPercent) io.stderr(`ng_viewer: indexing ${basename(rolloutsPath)}: ${percent}% of ${formatBytes(event.total)}\n`);
      lastPercent = percent;
    } else if (event.type === 'indexed') {
      const info = event.info;
      io.stderr(
        `ng_viewer: indexed ${info.primary.rollouts} rollouts (${formatBytes(info.primary.bytes)}) in ${((Date.now() - started) / 1000).toFixed(1)} s` +
          (info.primary.inputPath ? `; ground truth joined from ${basename(info.primary.inputPath)}` : '') +
          (info.compare ? `; comparing with ${info.compare.name} (${info.compare.rollouts} rollouts)` : '') +
          '\n',
      );
    } else if (event.type === 'problem') {
      io.stderr(`ng_viewer: ${event.message}\n`);
    }
  });

  let server;
  try {
    server = await startViewerServer({ host: session, assetsDir, port: args.port, title: `${basename(rolloutsPath)} — Gym Rollouts`, logger });
  } catch (error) {
    unsubscribe();
    session.dispose();
    io.stderr(`ng_viewer: could not start the server: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  io.stdout(`Gym Rollouts viewer: ${server.url}\n`);
  io.stderr('ng_viewer: press Ctrl+C to stop\n');
  if (args.open) openBrowser(server.url, (message) => io.stderr(`ng_viewer: ${message}\n`));

  await waitForStop(io.signal);
  unsubscribe();
  await server.close();
  session.dispose();
  return 0;
}
