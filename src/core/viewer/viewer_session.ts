import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import type { BootSnapshot, InitInfo, RequestOf, ResultOf, ViewerEvent, ViewerHost, ViewerRequest, ViewerRequestType, ViewerResults, ViewerTab } from './protocol';
import { DEFAULT_FILTER, DEFAULT_SORT, PROTOCOL_VERSION } from './protocol';
import { entryRuns } from './entry_runs';
import { silentLogger, type Logger } from '../logger';
import { compareRollouts } from './compare';
import { watchFileChanges, type FileWatch } from './file_watch';
import { JoinedRollouts } from './joined_rollouts';
import type { CompareResult, FileInfo, FileRole, RolloutFilter, RolloutRow, RolloutView, SortSpec, SummaryStats } from './model';
import { filterEntries, sortEntries } from './query';
import { RolloutIndex, locateRollout, readLineText, readRollout } from './rollout_index';
import { buildRolloutView, itemFullText } from './rollout_view';
import { searchRollouts } from './search';
import { SidecarCache } from './sidecar_cache';
import { isFile, readAggregateMetrics, readFailureList, readFailureSummary, sidecarPaths } from './sidecars';
import { TaskInputs } from './task_inputs';
import { computeSummary } from './statistics';

/**
 * Everything the viewer UI asks of its host, independent of the transport: one session per opened rollout file
 * (plus an optional file to compare with). The VS Code webview host and ng_viewer's HTTP server both wrap one.
 */

export interface ViewerSessionOptions {
  rolloutsPath: string;
  comparePath?: string | null;
  /** A task file to join ground truth from when the rollouts lack it and there are no materialized inputs. */
  inputPath?: string | null;
  /** Watch the files and index appended lines (default true). */
  live?: boolean;
  host: 'vscode' | 'browser';
  initialEntry?: number | null;
  initialTurn?: number | null;
  /** A rollout to open first by task and repeat (deep links), when no entry is given. */
  initialRollout?: { taskIndex: number; rolloutIndex: number | null } | null;
  initialTab?: ViewerTab | null;
  /** Opens the file at a 1-based line in an editor (the VS Code host); absent: `revealLine` answers false. */
  revealLine?: (path: string, lineNumber: number) => Promise<boolean>;
  /** Opens a link from a message after asking the user (the VS Code host); absent: links stay inert. */
  openLink?: (url: string) => Promise<boolean>;
  pollIntervalMs?: number;
  logger?: Logger;
}

interface LoadedFile {
  role: FileRole;
  path: string;
  index: RolloutIndex;
  joined: JoinedRollouts;
  inputPath: string | null;
  summary: { count: number; stats: Omit<SummaryStats, 'failures' | 'file'> } | null;
  /** The file was deleted or moved away while watched: what was indexed is still shown. */
  gone?: boolean;
}

const MAX_CONCURRENT_SEARCHES = 4;
/** The raw line the browser shows ("jump to raw line"); the rest of a longer line is left out. */
const RAW_LINE_MAX_BYTES = 2 * 1024 * 1024;
const PROGRESS_INTERVAL_MS = 100;
/** Rows written into a page loaded after indexing: a tall window's first screen. */
const BOOT_ROWS = 40;
/** Past this many runs the entries are left for the page to ask for (they would only weigh the page down). */
const BOOT_MAX_RUNS = 2000;

export class ViewerSession implements ViewerHost {
  private readonly listeners = new Set<(event: ViewerEvent) => void>();
  private readonly files = new Map<FileRole, LoadedFile>();
  private readonly searches = new Map<string, AbortController>();
  private readonly watches: FileWatch[] = [];
  private readonly lifetime = new AbortController();
  private readonly logger: Logger;
  private readonly loading: Promise<void>;
  private indexing = true;
  private problem: string | null = null;
  private compareCache: { counts: string; result: CompareResult } | null = null;
  /** The page's last list query: a page loaded again shows that list first (see bootSnapshot). */
  private lastQuery: { filter: RolloutFilter; sort: SortSpec } = { filter: DEFAULT_FILTER, sort: DEFAULT_SORT };
  private readonly inputs: TaskInputs;
  private readonly failureSummaries = new SidecarCache(readFailureSummary);
  private readonly failureLists = new SidecarCache(readFailureList);

  constructor(private readonly options: ViewerSessionOptions) {
    this.logger = options.logger ?? silentLogger;
    this.inputs = new TaskInputs(sidecarPaths(options.rolloutsPath).materializedInputs, options.inputPath ?? null, this.lifetime.signal);
    this.loading = this.load().then(
      () => {
        this.indexing = false;
        this.emit({ type: 'indexed', info: this.info() });
        if (options.live ?? true) this.startWatching();
      },
      (error: unknown) => {
        this.indexing = false;
        this.problem = error instanceof Error ? error.message : String(error);
        this.emit({ type: 'problem', message: this.problem });
      },
    );
  }

  /** Resolves when the files are indexed; rejects if the rollout file could not be read. */
  async whenReady(): Promise<void> {
    await this.loading;
    if (this.problem !== null) throw new Error(this.problem);
  }

  onEvent(listener: (event: ViewerEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  dispose(): void {
    this.lifetime.abort();
    this.inputs.close();
    for (const watch of this.watches) watch.close();
    for (const search of this.searches.values()) search.abort();
    this.searches.clear();
    this.listeners.clear();
  }

  info(): InitInfo {
    const primary = this.files.get('primary');
    const compare = this.files.get('compare');
    return {
      protocol: PROTOCOL_VERSION,
      host: this.options.host,
      primary: primary ? fileInfo(primary) : placeholderInfo('primary', this.options.rolloutsPath),
      compare: compare ? fileInfo(compare) : this.options.comparePath ? placeholderInfo('compare', this.options.comparePath) : null,
      categories: primary && !this.indexing ? primary.joined.categories() : [],
      live: this.options.live ?? true,
      indexing: this.indexing,
      initialEntry: this.options.initialEntry ?? null,
      initialTurn: this.options.initialTurn ?? null,
      initialRollout: this.options.initialRollout ?? null,
      initialTab: this.options.initialTab ?? null,
      failuresPath: existsSync(sidecarPaths(this.options.rolloutsPath).failures) ? sidecarPaths(this.options.rolloutsPath).failures : null,
      abilities: { revealLine: this.options.revealLine !== undefined, openLinks: this.options.openLink !== undefined },
      problem: this.problem,
    };
  }

  /** What a page loaded now can show before it asks anything; null until the file is indexed. */
  bootSnapshot(): BootSnapshot | null {
    const file = this.files.get('primary');
    if (this.indexing || this.problem !== null || !file) return null;
    const { filter, sort } = this.lastQuery;
    const entries = sortEntries(file.joined, filterEntries(file.joined, filter, null), sort);
    const runs = entryRuns(entries);
    return {
      info: this.info(),
      list: { filter, sort, total: file.index.count, entryRuns: runs.length <= BOOT_MAX_RUNS ? runs : null, rows: this.rows('primary', entries.slice(0, BOOT_ROWS)) },
    };
  }

  async handle<T extends ViewerRequestType>(request: RequestOf<T>): Promise<ResultOf<T>> {
    const result = await this.dispatch(request as ViewerRequest);
    return result as ResultOf<T>;
  }

  private async dispatch(request: ViewerRequest): Promise<ViewerResults[ViewerRequestType]> {
    if (request.type === 'ready') return this.info();
    if (request.type === 'cancelSearch') return { cancelled: this.cancelSearch(request.searchId) };
    if (request.type === 'failures') return this.failureLists.get(sidecarPaths(this.options.rolloutsPath).failures);
    if (request.type === 'openLink') return { opened: (await this.options.openLink?.(request.url)) ?? false };
    await this.whenReady();
    switch (request.type) {
      case 'summary':
        return this.summary(request.role);
      case 'query': {
        const file = this.file('primary');
        if (!request.within) this.lastQuery = { filter: request.filter, sort: request.sort };
        const candidates = filterEntries(file.joined, request.filter, request.within ?? null);
        return { entries: sortEntries(file.joined, candidates, request.sort), total: file.index.count };
      }
      case 'rows':
        return { rows: this.rows(request.role, request.entries) };
      case 'rollout':
        return this.rollout(request.role, request.entry);
      case 'compare':
        return this.compare();
      case 'search':
        return this.startSearch(request);
      case 'itemText': {
        const line = await readRollout(this.file(request.role).index, request.entry);
        return { text: this.showable(request.role, request.entry, () => itemFullText(line, request.item)) };
      }
      case 'taskInput':
        return this.inputs.find(request.taskIndex);
      case 'rawLine':
        return this.rawLine(request.role, request.entry);
      case 'revealLine': {
        const file = this.file(request.role);
        if (!this.options.revealLine || request.entry >= file.index.count) return { revealed: false };
        return { revealed: await this.options.revealLine(file.path, file.index.lineNumber(request.entry)) };
      }
      case 'locate':
        return { entry: locateRollout(this.file(request.role).index, request.taskIndex, request.rolloutIndex) };
    }
  }

  private file(role: FileRole): LoadedFile {
    const file = this.files.get(role);
    if (!file) throw new Error(role === 'compare' ? 'no file to compare with' : 'the rollout file is not loaded');
    return file;
  }

  private emit(event: ViewerEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.logger.warn(`viewer event listener failed: ${String(error)}`);
      }
    }
  }

  // ---- loading and live updates ----

  private async load(): Promise<void> {
    await this.loadFile('primary', this.options.rolloutsPath);
    if (this.options.comparePath) await this.loadFile('compare', this.options.comparePath);
  }

  private async loadFile(role: FileRole, path: string): Promise<void> {
    let lastProgress = 0;
    const index = await RolloutIndex.open(path, {
      signal: this.lifetime.signal,
      onProgress: (bytes, total) => {
        const now = Date.now();
        if (now - lastProgress < PROGRESS_INTERVAL_MS && bytes < total) return;
        lastProgress = now;
        this.emit({ type: 'indexProgress', role, bytes, total });
      },
    });
    const file: LoadedFile = { role, path, index, joined: new JoinedRollouts(index), inputPath: null, summary: null };
    this.files.set(role, file);
    await this.attachInput(file);
    this.logger.info(`indexed ${index.count} rollouts of ${path}`);
  }

  /** Joins an input file when some rollouts lack their dataset fields. */
  private async attachInput(file: LoadedFile): Promise<void> {
    const index = file.index;
    let needed = index.count === 0;
    for (let i = 0; i < index.count && !needed; i++) {
      if (index.broken(i) === null && (!index.hasGroundTruth(i) || index.category(i) === null)) needed = true;
    }
    if (!needed) return;
    const materialized = sidecarPaths(file.path).materializedInputs;
    const inputPath = (await isFile(materialized)) ? materialized : (this.options.inputPath ?? null);
    if (inputPath === null) return;
    try {
      file.joined.setInput(await RolloutIndex.open(inputPath, { signal: this.lifetime.signal }));
      file.inputPath = inputPath;
    } catch (error) {
      this.logger.warn(`could not read the input file ${inputPath}: ${String(error)}`);
    }
  }

  private startWatching(): void {
    for (const file of this.files.values()) {
      this.watches.push(
        watchFileChanges(file.path, () => this.refresh(file), {
          ...(this.options.pollIntervalMs !== undefined ? { pollIntervalMs: this.options.pollIntervalMs } : {}),
          onError: (error) => this.logger.warn(`could not index new lines of ${file.path}: ${String(error)}`),
        }),
      );
    }
  }

  private async refresh(file: LoadedFile): Promise<void> {
    if (this.lifetime.signal.aborted) return;
    const pendingBefore = file.index.pendingTail?.lineNumber ?? null;
    let result;
    try {
      result = await file.index.appendNewBytes();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      if (!file.gone) {
        file.gone = true;
        this.emit({ type: 'appended', role: file.role, added: 0, info: this.info() });
      }
      return;
    }
    file.gone = false;
    const pendingChanged = (file.index.pendingTail?.lineNumber ?? null) !== pendingBefore;
    if (!result.reset && result.added === 0 && !pendingChanged) return;
    const input = file.joined.inputIndex;
    if (input) {
      await input.appendNewBytes();
      file.joined.setInput(input);
    } else {
      await this.attachInput(file);
    }
    file.summary = null;
    this.compareCache = null;
    const info = this.info();
    this.emit(result.reset ? { type: 'reset', role: file.role, info } : { type: 'appended', role: file.role, added: result.added, info });
  }

  // ---- requests ----

  private async summary(role: FileRole): Promise<SummaryStats> {
    const file = this.file(role);
    const paths = sidecarPaths(file.path);
    const failures = await this.failureSummaries.get(paths.failures);
    if (!file.summary || file.summary.count !== file.index.count) {
      const aggregateMetrics = await readAggregateMetrics(paths.aggregateMetrics);
      const stats = computeSummary(file.joined, { file: fileInfo(file), failures: null, aggregateMetrics });
      file.summary = { count: file.index.count, stats };
    }
    return { ...file.summary.stats, file: fileInfo(file), failures };
  }

  private rows(role: FileRole, entries: readonly number[]): RolloutRow[] {
    const file = this.file(role);
    return entries.filter((i) => i < file.index.count).map((i) => file.joined.row(i));
  }

  private async rollout(role: FileRole, entry: number): Promise<RolloutView> {
    const started = performance.now();
    const file = this.file(role);
    const line = await readRollout(file.index, entry);
    let inputRecord: Record<string, unknown> | null = null;
    const input = file.joined.inputIndex;
    const needsInput = line.record !== null && (line.record.ground_truth == null || line.record.category == null || line.record.id == null);
    if (needsInput && input) {
      const j = file.joined.inputEntryFor(entry);
      if (j >= 0) inputRecord = (await readRollout(input, j)).record;
    }
    const view = this.showable(role, entry, () =>
      buildRolloutView(line, {
        role,
        inputRecord,
        joinedTaskId: file.joined.taskId(entry),
        joinedCategory: file.joined.category(entry),
        responseError: file.index.responseError(entry),
      }),
    );
    return { ...view, buildMs: performance.now() - started };
  }

  /**
   * Builds what the page shows of a rollout. JSON.parse reads lines nested far deeper than the (recursive) view
   * can walk: such a line gets an error naming it instead of "Maximum call stack size exceeded".
   */
  private showable<T>(role: FileRole, entry: number, build: () => T): T {
    try {
      return build();
    } catch (error) {
      if (!(error instanceof RangeError) || !/call stack/i.test(error.message)) throw error;
      const file = this.file(role);
      throw new Error(`${file.path}:${file.index.lineNumber(entry)}: this rollout's JSON is nested too deeply to show here; its raw line can be opened instead.`, { cause: error });
    }
  }

  private async rawLine(role: FileRole, entry: number): Promise<ResultOf<'rawLine'>> {
    const file = this.file(role);
    if (entry >= file.index.count) throw new RangeError(`no rollout ${entry} (the file has ${file.index.count})`);
    const bytes = file.index.byteLength(entry);
    const text = await readLineText(file.index, entry, RAW_LINE_MAX_BYTES);
    return { lineNumber: file.index.lineNumber(entry), text, bytes, truncated: bytes > RAW_LINE_MAX_BYTES };
  }

  private compare(): CompareResult | null {
    const primary = this.file('primary');
    const other = this.files.get('compare');
    if (!other) return null;
    const counts = `${primary.index.count}:${other.index.count}`;
    if (this.compareCache?.counts !== counts) {
      const result = compareRollouts(primary.joined, other.joined, { primary: basename(primary.path), compare: basename(other.path) });
      this.compareCache = { counts, result };
    }
    return this.compareCache.result;
  }

  private startSearch(request: RequestOf<'search'>): { candidates: number } {
    this.cancelSearch(request.searchId);
    while (this.searches.size >= MAX_CONCURRENT_SEARCHES) {
      const oldest = this.searches.keys().next().value as string;
      this.cancelSearch(oldest);
    }
    const file = this.file('primary');
    const candidates = filterEntries(file.joined, request.filter, null);
    const controller = new AbortController();
    this.searches.set(request.searchId, controller);
    const signal = AbortSignal.any([controller.signal, this.lifetime.signal]);
    void searchRollouts(file.index, {
      text: request.text,
      candidates,
      limit: request.limit,
      signal,
      onProgress: (matches, scanned) =>
        this.emit({ type: 'searchMatches', searchId: request.searchId, matches, scanned, candidates: candidates.length }),
    })
      .then((outcome) => this.emit({ type: 'searchDone', searchId: request.searchId, ...outcome }))
      .catch((error: unknown) => {
        this.emit({ type: 'problem', message: `search failed: ${error instanceof Error ? error.message : String(error)}` });
        this.emit({ type: 'searchDone', searchId: request.searchId, scanned: 0, matched: 0, limitReached: false, cancelled: true });
      })
      .finally(() => {
        if (this.searches.get(request.searchId) === controller) this.searches.delete(request.searchId);
      });
    return { candidates: candidates.length };
  }

  private cancelSearch(searchId: string): boolean {
    const controller = this.searches.get(searchId);
    if (!controller) return false;
    controller.abort();
    this.searches.delete(searchId);
    return true;
  }
}

function fileInfo(file: LoadedFile): FileInfo {
  return {
    role: file.role,
    path: file.path,
    name: basename(file.path),
    bytes: file.index.indexedBytes,
    rollouts: file.index.count,
    pendingLine: file.index.pendingTail?.lineNumber ?? null,
    inputPath: file.inputPath,
    ...(file.gone ? { gone: true } : {}),
  };
}

function placeholderInfo(role: FileRole, path: string): FileInfo {
  return { role, path, name: basename(path), bytes: 0, rollouts: 0, pendingLine: null, inputPath: null };
}
