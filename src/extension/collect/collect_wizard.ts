/**
 * The short multi-step input of Collect Rollouts: agent, limit, repeats, parallelism, temperature, max output
 * tokens, output path (and, if the output exists, resume or overwrite), then a summary to confirm. Starts from the
 * last choices for the file; Enter on every step accepts them. Parsing lives in `collect_choices.ts`.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import * as vscode from 'vscode';
import type { CollectChoices } from '../config/settings_to_config';
import { choiceText, parseLimit, parseMaxOutputTokens, parsePositiveInteger, parseTemperature, type Parsed } from './collect_choices';

const TITLE = 'Collect Rollouts';
const STEPS = 8;

function ask<T>(step: number, prompt: string, value: string, parse: (text: string) => Parsed<T>, placeholder?: string): Promise<T | undefined> {
  return new Promise((resolvePromise) => {
    const input = vscode.window.createInputBox();
    input.title = TITLE;
    input.step = step;
    input.totalSteps = STEPS;
    input.prompt = prompt;
    input.value = value;
    input.placeholder = placeholder;
    input.ignoreFocusOut = true;
    let done = false;
    const finish = (result: T | undefined) => {
      if (done) return;
      done = true;
      input.dispose();
      resolvePromise(result);
    };
    input.onDidChangeValue((text) => {
      const parsed = parse(text);
      input.validationMessage = parsed.ok ? undefined : parsed.message;
    });
    input.onDidAccept(() => {
      const parsed = parse(input.value);
      if (parsed.ok) finish(parsed.value);
      else input.validationMessage = parsed.message;
    });
    input.onDidHide(() => finish(undefined));
    input.show();
  });
}

function pickAgent(current: string, known: readonly string[]): Promise<string | undefined> {
  return new Promise((resolvePromise) => {
    const pick = vscode.window.createQuickPick();
    pick.title = TITLE;
    pick.step = 1;
    pick.totalSteps = STEPS;
    pick.placeholder = 'Agent for rows without their own agent_ref (type another name to use it)';
    pick.ignoreFocusOut = true;
    const names = [current, ...known.filter((name) => name !== current)];
    pick.items = names.map((name) => ({ label: name, description: name === current ? 'current choice' : undefined }));
    pick.activeItems = [pick.items[0]!];
    let done = false;
    const finish = (result: string | undefined) => {
      if (done) return;
      done = true;
      pick.dispose();
      resolvePromise(result);
    };
    pick.onDidAccept(() => {
      const chosen = pick.selectedItems[0]?.label ?? pick.activeItems[0]?.label ?? pick.value.trim();
      if (chosen) finish(chosen);
    });
    pick.onDidHide(() => finish(undefined));
    pick.show();
  });
}

async function pickExistingOutput(outputPath: string): Promise<'resume' | 'overwrite' | undefined> {
  const choice = await vscode.window.showQuickPick(
    [
      { label: 'Resume', description: 'keep what it holds and collect only what is missing', value: 'resume' as const },
      { label: 'Overwrite', description: 'start again from nothing', value: 'overwrite' as const },
    ],
    { title: `${TITLE}: ${outputPath} exists`, placeHolder: 'The output file exists', ignoreFocusOut: true },
  );
  return choice?.value;
}

const parseOutputPath =
  (baseDirectory: string) =>
  (text: string): Parsed<string> => {
    const trimmed = text.trim();
    if (trimmed === '') return { ok: false, message: 'Enter the output JSONL path.' };
    if (!trimmed.endsWith('.jsonl')) return { ok: false, message: 'The output is a .jsonl file (its sidecars are named after it).' };
    return { ok: true, value: isAbsolute(trimmed) ? trimmed : resolve(baseDirectory, trimmed) };
  };

/** Asks for the choices of one collection; undefined when the user cancels. */
export async function askCollectChoices(inputPath: string, start: CollectChoices, knownAgents: readonly string[], baseDirectory: string): Promise<CollectChoices | undefined> {
  const agentName = await pickAgent(start.agentName, knownAgents);
  if (agentName === undefined) return undefined;
  const limit = await ask(2, 'How many rows (the first N)? Empty: all rows.', choiceText(start.limit), parseLimit, 'all');
  if (limit === undefined) return undefined;
  const numRepeats = await ask(3, 'Rollouts per task (repeats)', String(start.numRepeats), (text) => parsePositiveInteger(text, 'number of repeats'));
  if (numRepeats === undefined) return undefined;
  const parallelism = await ask(4, 'Rollouts in flight at once (parallelism)', String(start.parallelism), (text) => parsePositiveInteger(text, 'parallelism'));
  if (parallelism === undefined) return undefined;
  const temperature = await ask(5, 'Temperature (0–2). Empty: each row’s own.', choiceText(start.temperature), parseTemperature, 'row’s own');
  if (temperature === undefined) return undefined;
  const maxOutputTokens = await ask(6, 'Max output tokens per model call. Empty: no limit.', choiceText(start.maxOutputTokens), parseMaxOutputTokens, 'no limit');
  if (maxOutputTokens === undefined) return undefined;
  const outputPath = await ask(7, `Output JSONL (rollouts of ${inputPath})`, start.outputPath, parseOutputPath(baseDirectory));
  if (outputPath === undefined) return undefined;
  let resume = false;
  if (existsSync(outputPath)) {
    const answer = await pickExistingOutput(outputPath);
    if (answer === undefined) return undefined;
    resume = answer === 'resume';
  }
  return { agentName, limit, numRepeats, parallelism, temperature, maxOutputTokens, outputPath, resume, skipInvalidRows: start.skipInvalidRows };
}

/** What the last step shows before anything starts. */
export interface CollectionSummaryLines {
  endpoint: string;
  model: string;
  agent: string;
  input: string;
  output: string;
  size: string;
}

/** The last step: what will run, where it goes; Enter starts it. */
export function confirmCollection(summary: CollectionSummaryLines): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const pick = vscode.window.createQuickPick<vscode.QuickPickItem & { start?: boolean }>();
    pick.title = TITLE;
    pick.step = STEPS;
    pick.totalSteps = STEPS;
    pick.placeholder = 'Start this collection?';
    pick.ignoreFocusOut = true;
    const line = (label: string) => ({ label, kind: vscode.QuickPickItemKind.Separator });
    pick.items = [
      { label: '$(play) Start collection', start: true },
      { label: '$(close) Cancel', start: false },
      line(`Endpoint: ${summary.endpoint}`),
      line(`Model: ${summary.model}`),
      line(`Agent: ${summary.agent}`),
      line(`Rows: ${summary.size}`),
      line(`Input: ${summary.input}`),
      line(`Output: ${summary.output}`),
    ];
    pick.activeItems = [pick.items[0]!];
    let done = false;
    const finish = (start: boolean) => {
      if (done) return;
      done = true;
      pick.dispose();
      resolvePromise(start);
    };
    pick.onDidAccept(() => finish(pick.selectedItems[0]?.start ?? pick.activeItems[0]?.start ?? false));
    pick.onDidHide(() => finish(false));
    pick.show();
  });
}
