import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bundledDataDirectory, cachedDataDirectory, DataDirectoryError, resolveWorkplaceDataDirectory } from '../../../src/core/data/workplace_data_dir';
import { WORKPLACE_DATA_FILES } from '../../../src/core/data/workplace_data_files';
import { silentLogger } from '../../../src/core/logger';
import { WORKPLACE_CSV_DIR } from '../../support/paths';

/** A local stand-in for raw.githubusercontent.com serving the bundled files, optionally corrupting one. */
async function startFileServer(corrupt?: string): Promise<{ url: string; requests: string[]; close(): Promise<void> }> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const name = (req.url ?? '').split('/').pop() ?? '';
    const path = join(WORKPLACE_CSV_DIR, name);
    if (!existsSync(path)) {
      res.statusCode = 404;
      res.end('404: Not Found');
      return;
    }
    let bytes = readFileSync(path);
    if (name === corrupt) bytes = Buffer.concat([bytes, Buffer.from('\n1,2,3')]);
    res.end(bytes);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/base`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'gym-data-'));
}

function fillWithTables(directory: string): void {
  mkdirSync(directory, { recursive: true });
  for (const file of WORKPLACE_DATA_FILES) writeFileSync(join(directory, file.name), readFileSync(join(WORKPLACE_CSV_DIR, file.name)));
}

describe('workplace data directory resolution', () => {
  it('uses the configured directory, and names what is missing when it is incomplete', async () => {
    expect(await resolveWorkplaceDataDirectory({ configuredDirectory: WORKPLACE_CSV_DIR, searchRoots: [], logger: silentLogger })).toEqual({ directory: WORKPLACE_CSV_DIR, source: 'configured' });
    const empty = tempDir();
    await expect(resolveWorkplaceDataDirectory({ configuredDirectory: empty, searchRoots: [], logger: silentLogger })).rejects.toThrow(/lacks analytics_data\.csv/);
  });

  it('finds a NeMo Gym checkout in a search root', async () => {
    const root = tempDir();
    const processed = join(root, 'resources_servers/workplace_assistant/csv_data/processed');
    fillWithTables(processed);
    const cacheRoot = tempDir();
    fillWithTables(cachedDataDirectory(cacheRoot));
    const resolved = await resolveWorkplaceDataDirectory({ searchRoots: [tempDir(), root], cacheRoot, logger: silentLogger });
    expect(resolved).toEqual({ directory: processed, source: 'nemo_gym_checkout' });
  });

  it('prefers the user cache to the bundled tables', async () => {
    const cacheRoot = tempDir();
    fillWithTables(cachedDataDirectory(cacheRoot));
    expect(await resolveWorkplaceDataDirectory({ searchRoots: [tempDir()], cacheRoot, logger: silentLogger })).toEqual({ directory: cachedDataDirectory(cacheRoot), source: 'cache' });
  });

  it('falls back to the tables shipped in the package, which are NeMo Gym\'s pinned files, and downloads nothing', async () => {
    const files = await startFileServer();
    cleanups.push(files.close);
    const resolved = await resolveWorkplaceDataDirectory({ searchRoots: [tempDir()], cacheRoot: tempDir(), downloadBaseUrl: files.url, logger: silentLogger });
    expect(resolved).toEqual({ directory: WORKPLACE_CSV_DIR, source: 'bundled' });
    expect(bundledDataDirectory()).toBe(WORKPLACE_CSV_DIR);
    expect(files.requests).toEqual([]);
    for (const file of WORKPLACE_DATA_FILES) {
      expect(createHash('sha256').update(readFileSync(join(WORKPLACE_CSV_DIR, file.name))).digest('hex'), file.name).toBe(file.sha256);
    }
    const notice = readFileSync(join(WORKPLACE_CSV_DIR, 'NOTICE'), 'utf8');
    for (const fact of ['https://github.com/NVIDIA-NeMo/Gym', '07d6b0d07b22fcf530b4c211dae2ee23100428e4', 'Apache License 2.0']) expect(notice).toContain(fact);
    expect(readFileSync(join(WORKPLACE_CSV_DIR, 'LICENSE'), 'utf8')).toContain('Apache License');
  });

  it('without bundled tables and with nothing else, says how to provide them', async () => {
    const attempt = resolveWorkplaceDataDirectory({ searchRoots: [], cacheRoot: tempDir(), bundledDirectory: null, logger: silentLogger });
    await expect(attempt).rejects.toThrow(DataDirectoryError);
    await expect(attempt).rejects.toThrow(/\+workplace_assistant_data_dir=.*NeMo Gym checkout.*\+workplace_assistant_data_download=true/s);
  });

  it('on request, downloads the five files, checks each SHA-256, caches them, and uses the cache next time', async () => {
    const files = await startFileServer();
    cleanups.push(files.close);
    const cacheRoot = tempDir();
    const first = await resolveWorkplaceDataDirectory({ searchRoots: [], cacheRoot, download: true, downloadBaseUrl: files.url, logger: silentLogger });
    expect(first.source).toBe('download');
    expect(first.directory).toBe(cachedDataDirectory(cacheRoot));
    expect(readdirSync(first.directory).sort()).toEqual(WORKPLACE_DATA_FILES.map((f) => f.name).sort());
    expect(files.requests).toHaveLength(5);
    const second = await resolveWorkplaceDataDirectory({ searchRoots: [], cacheRoot, download: true, downloadBaseUrl: files.url, logger: silentLogger });
    expect(second.source).toBe('cache');
    expect(files.requests).toHaveLength(5);
  });

  it('rejects a corrupted file and caches nothing', async () => {
    const files = await startFileServer('emails.csv');
    cleanups.push(files.close);
    const cacheRoot = tempDir();
    const attempt = resolveWorkplaceDataDirectory({ searchRoots: [], cacheRoot, download: true, downloadBaseUrl: files.url, logger: silentLogger });
    await expect(attempt).rejects.toThrow(DataDirectoryError);
    await expect(attempt).rejects.toThrow(/emails\.csv .* has SHA-256 .*expected 1809e341/s);
    const workplace = join(cacheRoot, 'workplace_assistant');
    expect(existsSync(workplace) ? readdirSync(workplace) : []).toEqual([]);
  });

  it('an unreachable server gives an error that says how to point at the data', async () => {
    const files = await startFileServer();
    const url = files.url;
    await files.close();
    const attempt = resolveWorkplaceDataDirectory({ searchRoots: [], cacheRoot: tempDir(), download: true, downloadBaseUrl: url, logger: silentLogger, downloadTimeoutMs: 2000 });
    await expect(attempt).rejects.toThrow(/could not reach .*analytics_data\.csv/s);
    await expect(attempt).rejects.toThrow(/\+workplace_assistant_data_dir=/);
    await expect(attempt).rejects.toThrow(/NeMo Gym checkout/);
  });
});
