import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Logger } from '../logger';
import { BUNDLED_DATA_PATH, NEMO_GYM_CHECKOUT_DATA_PATH, WORKPLACE_DATA_BASE_URL, WORKPLACE_DATA_COMMIT, WORKPLACE_DATA_FILES } from './workplace_data_files';

export interface DataDirectoryOptions {
  /** The `workplace_assistant_data_dir` config key or the editor setting. */
  configuredDirectory?: string | null;
  /** Folders to look in for a NeMo Gym checkout (the working folder, workspace folders). */
  searchRoots: string[];
  /** Defaults to `$GYM_ROLLOUTS_CACHE` or `~/.cache/gym-rollouts`. */
  cacheRoot?: string;
  /**
   * true: the user asked for the pinned tables to be downloaded (`+workplace_assistant_data_download=true`), so
   * they are fetched into the user cache when the cache does not hold them yet. Nothing is ever downloaded
   * otherwise.
   */
  download?: boolean;
  /** Defaults to raw.githubusercontent.com at the pinned commit. */
  downloadBaseUrl?: string;
  downloadTimeoutMs?: number;
  /** The tables shipped with Gym Rollouts; defaults to `data/workplace_assistant` in the package. null: none. */
  bundledDirectory?: string | null;
  logger: Logger;
}

export type DataDirectorySource = 'configured' | 'nemo_gym_checkout' | 'cache' | 'download' | 'bundled';

export interface ResolvedDataDirectory {
  directory: string;
  source: DataDirectorySource;
}

export class DataDirectoryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataDirectoryError';
  }
}

export function defaultCacheRoot(env: Record<string, string | undefined> = process.env): string {
  return env.GYM_ROLLOUTS_CACHE || join(homedir(), '.cache', 'gym-rollouts');
}

export function cachedDataDirectory(cacheRoot: string): string {
  return join(cacheRoot, 'workplace_assistant', WORKPLACE_DATA_COMMIT.slice(0, 12));
}

/**
 * The tables shipped in the package (`<package>/data/workplace_assistant`), seen from this module: bundled into
 * `<package>/dist/*.js` (the CLI, the editor's host), or run from source (`<package>/src/core/data`, the tests).
 */
export function bundledDataDirectory(): string | null {
  const packageRoots = [resolve(__dirname, '..'), resolve(__dirname, '..', '..', '..')];
  return packageRoots.map((root) => join(root, BUNDLED_DATA_PATH)).find((directory) => missingFiles(directory).length === 0) ?? null;
}

/**
 * Finds the five workplace tables (ARCHITECTURE.md "Data the environment needs"): the configured directory, a
 * NeMo Gym checkout, the user cache (filled by a checked download when the user asks for one), or the tables
 * shipped with Gym Rollouts. Anything else is an error that says how to fix it.
 */
export async function resolveWorkplaceDataDirectory(options: DataDirectoryOptions): Promise<ResolvedDataDirectory> {
  if (options.configuredDirectory) {
    const directory = resolve(options.configuredDirectory);
    const missing = missingFiles(directory);
    if (missing.length > 0) {
      throw new DataDirectoryError(
        `workplace_assistant_data_dir is ${directory}, but it lacks ${missing.join(', ')}. ` +
          `Point it at a folder holding the five workplace_assistant CSV files (NeMo Gym's ${NEMO_GYM_CHECKOUT_DATA_PATH}).`,
      );
    }
    return { directory, source: 'configured' };
  }
  for (const root of options.searchRoots) {
    const directory = join(root, NEMO_GYM_CHECKOUT_DATA_PATH);
    if (missingFiles(directory).length === 0) return { directory, source: 'nemo_gym_checkout' };
  }
  const cacheRoot = options.cacheRoot ?? defaultCacheRoot();
  const cached = cachedDataDirectory(cacheRoot);
  if (missingFiles(cached).length === 0) return { directory: cached, source: 'cache' };
  if (options.download === true) {
    try {
      await downloadInto(cached, options);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new DataDirectoryError(howToProvide(cached, `the download failed: ${reason}`));
    }
    return { directory: cached, source: 'download' };
  }
  const bundled = options.bundledDirectory === undefined ? bundledDataDirectory() : options.bundledDirectory;
  if (bundled !== null && missingFiles(bundled).length === 0) return { directory: bundled, source: 'bundled' };
  throw new DataDirectoryError(howToProvide(cached, 'this installation does not hold its bundled tables'));
}

function missingFiles(directory: string): string[] {
  return WORKPLACE_DATA_FILES.map((file) => file.name).filter((name) => !existsSync(join(directory, name)));
}

function howToProvide(cacheDirectory: string, reason: string): string {
  return [
    `The workplace_assistant tables were not found (${reason}).`,
    'Provide them in one of these ways:',
    '  1. pass +workplace_assistant_data_dir=/path/to/csv_folder (or set "gymRollouts.dataDirectory" in the editor);',
    `  2. run from a NeMo Gym checkout (the tables are in ${NEMO_GYM_CHECKOUT_DATA_PATH});`,
    `  3. put the five files (${WORKPLACE_DATA_FILES.map((f) => f.name).join(', ')}) in ${cacheDirectory};`,
    `  4. pass +workplace_assistant_data_download=true to download them, checked against pinned SHA-256 sums, from ${WORKPLACE_DATA_BASE_URL}/.`,
  ].join('\n');
}

/** Downloads every file, checks each SHA-256, and only then moves the set into place: nothing partial is cached. */
async function downloadInto(target: string, options: DataDirectoryOptions): Promise<void> {
  const baseUrl = (options.downloadBaseUrl ?? WORKPLACE_DATA_BASE_URL).replace(/\/+$/, '');
  const staging = `${target}.partial-${randomBytes(4).toString('hex')}`;
  await mkdir(staging, { recursive: true });
  try {
    for (const file of WORKPLACE_DATA_FILES) {
      const url = `${baseUrl}/${file.name}`;
      options.logger.info(`Downloading ${file.name} from ${url}`);
      const bytes = await fetchBytes(url, options.downloadTimeoutMs ?? 30_000);
      const digest = createHash('sha256').update(bytes).digest('hex');
      if (digest !== file.sha256) {
        throw new Error(`${file.name} from ${url} has SHA-256 ${digest}, expected ${file.sha256}; the file was rejected`);
      }
      await writeFile(join(staging, file.name), bytes);
    }
    await rm(target, { recursive: true, force: true });
    await rename(staging, target);
    options.logger.info(`Workplace tables checked and cached in ${target}`);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

async function fetchBytes(url: string, timeoutMs: number): Promise<Buffer> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
    throw new Error(`could not reach ${url}${cause}`, { cause: error });
  }
  if (!response.ok) throw new Error(`${url} answered HTTP ${response.status}`);
  return Buffer.from(await response.arrayBuffer());
}

