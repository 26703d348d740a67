import { resolve } from 'node:path';
import { WORKPLACE_DATA_DIR as WORKPLACE_DATA } from '../paths';

/** 5 rollouts recorded from gpt-4.1 through the OpenAI Responses API. */
export const EXAMPLE_ROLLOUTS_PATH = resolve(WORKPLACE_DATA, 'example_rollouts.jsonl');
/** The input rows of those 5 rollouts, with ground truths. */
export const EXAMPLE_ROLLOUTS_TASKS_PATH = resolve(WORKPLACE_DATA, 'example_rollouts_tasks.jsonl');
/** NeMo Gym's 5 example task rows. */
export const EXAMPLE_TASKS_PATH = resolve(WORKPLACE_DATA, 'example.jsonl');
