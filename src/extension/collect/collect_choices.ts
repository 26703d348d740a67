/**
 * The Collect Rollouts input, minus the UI: defaults, parsing of what was typed, and the last choices per file.
 * Editor-free, so it is unit-tested.
 */
import { basename, dirname, extname, join } from 'node:path';
import type { ExtensionSettings } from '../config/settings';
import type { CollectChoices } from '../config/settings_to_config';
import type { KeyValueStore } from '../runs/run_store';

export const REMEMBERED_CHOICES_KEY = 'gymRollouts.collectChoices';

/** `data/tasks.jsonl` → `data/tasks_rollouts.jsonl`. */
export function defaultOutputPath(inputPath: string): string {
  return join(dirname(inputPath), `${basename(inputPath, extname(inputPath))}_rollouts.jsonl`);
}

export function defaultChoices(inputPath: string, settings: ExtensionSettings): CollectChoices {
  return {
    agentName: settings.defaultAgent,
    limit: null,
    numRepeats: 1,
    parallelism: settings.parallelism,
    temperature: null,
    maxOutputTokens: null,
    outputPath: defaultOutputPath(inputPath),
    resume: false,
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

  get(inputPath: string): CollectChoices | undefined {
    return this.state.get<Record<string, CollectChoices>>(REMEMBERED_CHOICES_KEY)?.[inputPath];
  }

  async remember(inputPath: string, choices: CollectChoices): Promise<void> {
    const all = { ...(this.state.get<Record<string, CollectChoices>>(REMEMBERED_CHOICES_KEY) ?? {}) };
    // Resuming is a per-run decision, not a default for the next run.
    all[inputPath] = { ...choices, resume: false };
    await this.state.update(REMEMBERED_CHOICES_KEY, all);
  }
}
