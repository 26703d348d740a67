import { resolve } from 'node:path';

/** The repository root. */
export const REPO_ROOT = resolve(__dirname, '../..');

/** NeMo Gym's data and the golden files, next to the repository (never copied into it). */
export const SHARED_DIR = process.env.GYM_ROLLOUTS_SHARED ?? resolve(REPO_ROOT, '../shared');
export const WORKPLACE_CSV_DIR = resolve(SHARED_DIR, 'data/workplace_assistant/csv');
export const WORKPLACE_DATA_DIR = resolve(SHARED_DIR, 'data/workplace_assistant');
export const GOLDEN_DIR = resolve(SHARED_DIR, 'golden');
