/**
 * The Collect Rollouts input, minus the UI: defaults, parsing of what was typed, and the last choices per file.
 * Editor-free, so it is unit-tested.
 */
import { basename, dirname, extname, isAbsolute, join, resolve } from 'node:path';
import type { ExtensionSettings } from '../config/settings';
import type { CollectChoices } from '../config/settings_to_config';
import type { KeyValueStore } from '../runs/run_store';

export const REMEMBERED_CHOICES_KEY = 'gymRollouts.collectChoices';

/** `20261205-143012`: sortable, and valid in every file system. */
export function runStamp(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}${pad(date.getMonth() + 1)}${pad(date.getDate())}-${pad(date.getHours())}${pad(date.getMinutes())}${pad(date.getSeconds())}`;
}

/**
 * Where a new run of `inputPath` writes: `<output folder>/<input stem>_<start time>_rollouts.jsonl` (the name ends
 * in `rollouts.jsonl`, so the file opens in the rollout viewer). The folder is the `collection.outputFolder` setting,
 * relative to the workspace folder; empty means beside the input.
 */
export function defaultOutputPath(inputPath: string, outputFolder: string, workspaceFolder: string | null, now: Date = new Date()): string {
  const folder = outputFolder === '' ? dirname(inputPath) : isAbsolute(outputFolder) ? outputFolder : resolve(workspaceFolder ?? dirname(inputPath), outputFolder);
  return join(folder, `${basename(inputPath, extname(inputPath))}_${runStamp(now)}_rollouts.jsonl`);
}

/** A new output beside an earlier run's, for Run Again: same folder, same input, a new start time. */
export function nextOutputPath(previousOutputPath: string, inputPath: string, now: Date = new Date()): string {
  return defaultOutputPath(inputPath, dirname(previousOutputPath), null, now);
}

export function defaultChoices(inputPath: string, settings: ExtensionSettings, workspaceFolder: string | null = null): CollectChoices {
  return {
    agentName: settings.defaultAgent,
    limit: null,
    numRepeats: 1,
    parallelism: settings.parallelism,
    temperature: null,
    maxOutputTokens: null,
    outputPath: defaultOutputPath(inputPath, settings.outputFolder, workspaceFolder),
    resume: false,
    skipInvalidRows: false,
  };
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** Empty means "every row". */
export function parseLimit(text: string): Parsed<number | null> {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed === '0' || trimmed.toLowerCase() === 'all') return { ok: true, value: null };
  return parsePositiveInteger(trimmed, 'limit');
}

export function parsePositiveInteger(text: string, what: string): Parsed<number> {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed) || Number(trimmed) < 1) return { ok: false, message: `The ${what} is a whole number of at least 1.` };
  return { ok: true, value: Number(trimmed) };
}

/** Empty means "the row's own temperature". */
export function parseTemperature(text: string): Parsed<number | null> {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true, value: null };
  const value = Number(trimmed);
  if (!Number.isFinite(value) || value < 0 || value > 2) return { ok: false, message: 'The temperature is a number from 0 to 2 (empty: the row’s own).' };
  return { ok: true, value };
}

/** Empty means "no limit beyond the endpoint's". */
export function parseMaxOutputTokens(text: string): Parsed<number | null> {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true, value: null };
  return parsePositiveInteger(trimmed, 'max output tokens');
}

/** The text an input box shows for a choice (the inverse of the parsers). */
export function choiceText(value: number | null): string {
  return value === null ? '' : String(value);
}

/** Last choices per input file (workspace state), so a second run starts from the first one's answers. */
export class RememberedChoices {
  constructor(private readonly state: KeyValueStore) {}

  /** The last choices for the file, with a fresh output path (each run writes its own files). */
  get(inputPath: string, fresh: CollectChoices): CollectChoices {
    const remembered = this.state.get<Record<string, Partial<CollectChoices>>>(REMEMBERED_CHOICES_KEY)?.[inputPath];
    if (!remembered) return fresh;
    return { ...fresh, ...remembered, outputPath: fresh.outputPath, resume: false, skipInvalidRows: fresh.skipInvalidRows };
  }

  async remember(inputPath: string, choices: CollectChoices): Promise<void> {
    const all = { ...(this.state.get<Record<string, Partial<CollectChoices>>>(REMEMBERED_CHOICES_KEY) ?? {}) };
    // The output, resuming and skipping invalid rows are per-run decisions, not defaults for the next run.
    const { outputPath: _outputPath, resume: _resume, skipInvalidRows: _skip, ...kept } = choices;
    all[inputPath] = kept;
    await this.state.update(REMEMBERED_CHOICES_KEY, all);
  }
}
