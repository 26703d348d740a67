/**
 * Task generation for workplace_assistant: templates filled from the tables' real entities, each ground truth run
 * in a fresh sandbox session and checked before the task is kept, written as NeMo Gym input rows.
 */
export { generateTasks, GenerationError, DEFAULT_NO_ACTION_SHARE, type GenerateOptions, type GeneratedTask, type GenerationResult, type GenerationStats } from './generate';
export { buildReport, formatReport, type GenerationReport, type ParaphraseStats } from './report';
export { paraphraseQueries, openAIRewriter, keepsEntities, type Rewriter } from './paraphrase';
export { writeGeneratedTasks, tasksJsonl, reportPathFor } from './output';
export { taskRowText, SYSTEM_PROMPT } from './row';
export { REJECTION_REASONS, rejectCandidate, checkInSandbox, findUnknownId, type RejectionReason, type Rejection } from './rejection';
export { executeCalls, toolOutputError } from './executor';
export { TASK_CATEGORIES, call, type Candidate, type TaskCategory, type Template } from './candidate';
export { buildEntities, type Entities } from './entities';
