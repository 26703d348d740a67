/**
 * The data the viewer shows, as plain JSON-safe types. Built in src/core/viewer (node side) and rendered by the
 * webview; `protocol.ts` carries them between the two.
 */
import type { RewardExplanation } from '../schema/reward_explanation';

/** Which file of the session: the rollouts being read, or the one they are compared with. */
export type { FileRole, RolloutFilter, SortSpec } from './request_schema';
import type { FileRole } from './request_schema';

export const NO_CATEGORY = '(none)';

/**
 * What a rollout line says about itself: shared by the index's compact LineSummary (line_summary.ts) and the
 * list rows the UI receives, which differ only in how a missing number is written.
 */
export interface RolloutFacts {
  /** The dataset `id`, as text (it may be a number or a string in the file). */
  taskId: string | null;
  category: string | null;
  /** The first user message, shortened: what the task asks. */
  title: string | null;
  /** Model calls: runs of model-produced output items separated by tool outputs. */
  turns: number;
  toolCalls: number;
  stateChangingCalls: number;
  toolErrors: number;
  /** Why the response did not complete normally (error, incomplete, failed status, failure class), or null. */
  responseError: string | null;
  /** Why the line is not a readable rollout (not a JSON object); the row is then an error entry. */
  broken: string | null;
  hasGroundTruth: boolean;
  hasRewardExplanation: boolean;
}

/** The numbers a line may lack, with `Missing` standing for an absent one. */
export interface RolloutNumbers<Missing> {
  reward: number | Missing;
  taskIndex: number | Missing;
  rolloutIndex: number | Missing;
  inputTokens: number | Missing;
  outputTokens: number | Missing;
  totalTokens: number | Missing;
}

/** One list row: absent numbers are null. */
export interface RolloutRow extends RolloutFacts, RolloutNumbers<null> {
  entry: number;
  lineNumber: number;
}

export interface FileInfo {
  role: FileRole;
  path: string;
  name: string;
  bytes: number;
  rollouts: number;
  /** The line still being written (no newline yet), if any. */
  pendingLine: number | null;
  /** Where missing ground truth is joined from, if anywhere. */
  inputPath: string | null;
  /** The file was deleted or moved away: its rollouts are shown as they were when it went. */
  gone?: boolean;
}

export interface PassAtK {
  k: number;
  /** 0..1 */
  value: number;
  /** Tasks with at least k scored rollouts (the ones the figure averages over). */
  tasks: number;
}

export interface CategoryStats {
  category: string;
  rollouts: number;
  tasks: number;
  meanReward: number | null;
  /** pass@k at the usual repeat count (null without repeats). */
  passAtK: PassAtK | null;
  meanTurns: number;
  withErrors: number;
}

export interface HistogramBin {
  label: string;
  from: number;
  to: number;
  count: number;
}

export interface TokenStats {
  rollouts: number;
  input: { total: number; mean: number; max: number };
  output: { total: number; mean: number; max: number };
  total: { total: number; mean: number; max: number };
}

export interface FailureSummary {
  path: string;
  total: number;
  byClass: { failureClass: string; count: number; terminal: number }[];
  /** The first failures, for a table. */
  examples: { taskIndex: number | null; rolloutIndex: number | null; failureClass: string; message: string }[];
  /** Lines of the sidecar that are not failure records. */
  unreadable: number;
}

/** One line of `<stem>_failures.jsonl`, for the failures tab. */
export interface FailureEntry {
  /** 1-based line of the sidecar. */
  lineNumber: number;
  taskIndex: number | null;
  rolloutIndex: number | null;
  /** Attempts made (the last attempt's index + 1), when recorded. */
  attempts: number | null;
  failureClass: string;
  message: string;
  /** Not retried on resume. */
  terminal: boolean;
  /** The model endpoint's HTTP status, when its answer caused the failure. */
  upstreamStatus: number | null;
  agent: string | null;
  /** For rows that broke the input schema: where. */
  input: { file: string; line: number | null; field: string | null } | null;
}

export interface FailureList {
  path: string;
  total: number;
  byClass: { failureClass: string; count: number; terminal: number }[];
  entries: FailureEntry[];
  /** More failures than `entries` holds. */
  truncated: boolean;
  unreadable: number;
}

/** The input row a task was collected from (a failed rollout has no output line to show it). */
export interface TaskInput {
  taskIndex: number;
  /** The file and 1-based line it was read from; null when no input file is known. */
  path: string | null;
  lineNumber: number | null;
  /** What the task asks (its first user message, shortened) and its category. */
  prompt: string | null;
  category: string | null;
  /** Pretty JSON of the row. */
  json: string | null;
  /** Why the row could not be shown. */
  problem: string | null;
}

export interface AggregateMetricsSummary {
  path: string;
  agents: { agent: string; keyMetrics: { name: string; value: number | string }[] }[];
}

export interface SummaryStats {
  file: FileInfo;
  rollouts: number;
  brokenLines: number;
  scored: number;
  meanReward: number | null;
  passed: number;
  tasks: number;
  repeats: { min: number; max: number };
  /** pass@k for k = 1, 2, 4, ... up to the usual (most frequent) repeat count (unbiased estimator). */
  passAtK: PassAtK[];
  /** pass^k: the chance that all of k samples pass (reliability). */
  passHatK: PassAtK[];
  /** Tasks with all their repeats (the usual count); pass@k, pass^k and mean@k are over these only. */
  completeTasks: number;
  /** Lines repeating a (task, repeat) an earlier line has, and the first such line; null when none do. */
  duplicates: { lines: number; firstLine: number } | null;
  /** Mean over tasks of each task's mean reward over its repeats (k = the repeat count). */
  meanAtK: { k: number; value: number; tasks: number } | null;
  byCategory: CategoryStats[];
  rewardHistogram: HistogramBin[];
  turnsHistogram: HistogramBin[];
  meanTurns: number | null;
  tokens: TokenStats | null;
  errors: { responseErrors: number; withToolErrors: number; broken: number };
  failures: FailureSummary | null;
  aggregateMetrics: AggregateMetricsSummary | null;
  agents: string[];
}

// ---- one rollout, ready to render ----

export interface FormattedText {
  /** Indented JSON when `json`, else the text as found; only its beginning when `whole` is set. */
  text: string;
  json: boolean;
  /** Set when `text` is the beginning of a longer text: its size; the `itemText` request gives all of it. */
  whole?: { lines: number; chars: number } | null;
}

export type ConversationItem =
  | { kind: 'message'; role: string; text: string; origin: 'input' | 'output'; turn: number }
  | { kind: 'reasoning'; text: string; turn: number }
  | {
      kind: 'call';
      step: number;
      turn: number;
      name: string;
      callId: string | null;
      arguments: FormattedText;
      stateChanging: boolean;
    }
  | {
      kind: 'output';
      step: number | null;
      turn: number;
      name: string | null;
      callId: string | null;
      output: FormattedText;
      error: boolean;
    }
  | { kind: 'other'; itemType: string; turn: number; json: string };

/** A tool call the model made (its output is a separate item, matched by call id). */
export type CallItem = Extract<ConversationItem, { kind: 'call' }>;

export type DiffOp = 'same' | 'added' | 'removed';

export interface DiffSegment {
  op: DiffOp;
  text: string;
}

export type ArgumentStatus = 'same' | 'case' | 'differs' | 'type' | 'missing' | 'extra';

export interface ArgumentDiff {
  name: string;
  status: ArgumentStatus;
  /** JSON text of the values; null when the side lacks the argument. */
  expected: string | null;
  predicted: string | null;
  /** The values as read: a string's own text (real line breaks, no quotes), anything else as its JSON. */
  expectedText: string | null;
  predictedText: string | null;
  /** Word-level (character-level for two short tokens) differences between the readable values. */
  segments: DiffSegment[] | null;
}

export interface CallSummary {
  /** Position in the ground-truth list, or the 1-based step of the predicted call in the conversation. */
  position: number;
  name: string;
  arguments: FormattedText;
}

export type AlignmentStatus = 'match' | 'differs' | 'missing' | 'extra';

export interface AlignedCall {
  status: AlignmentStatus;
  expected: CallSummary | null;
  predicted: CallSummary | null;
  arguments: ArgumentDiff[];
  notes: string[];
}

export interface GroundTruthView {
  /** Where the ground truth came from. */
  origin: 'rollout' | 'input' | 'none';
  /** `calls`: a list of expected calls; `no-changes`: given as a string (nothing may change); `absent`. */
  kind: 'calls' | 'no-changes' | 'absent';
  /** The string form, for `no-changes`. */
  text: string | null;
  rows: AlignedCall[];
  /** Calls in the conversation that only read. */
  readOnlyCalls: number;
  /** One sentence on how the predicted writes relate to the expected ones. */
  verdict: string;
}

export type ExplanationView =
  | { kind: 'explanation'; explanation: RewardExplanation }
  | { kind: 'invalid'; json: string; problem: string };

export interface RolloutHeader {
  reward: number | null;
  taskIndex: number | null;
  rolloutIndex: number | null;
  taskId: string | null;
  category: string | null;
  categoryOrigin: 'rollout' | 'input' | 'none';
  agentName: string | null;
  model: string | null;
  status: string | null;
  responseError: string | null;
  createdAt: number | null;
  usage: { inputTokens: number | null; outputTokens: number | null; totalTokens: number | null; cachedTokens: number | null; reasoningTokens: number | null } | null;
  toolCount: number;
  temperature: number | null;
}

// ---- the turn timeline (from ng_trajectory) ----

export interface TimelineTokens {
  prompt: number | null;
  completion: number | null;
  reasoning: number | null;
  cached: number | null;
}

export interface TimelineItem {
  kind: 'model' | 'tool';
  /** `model call 2`, or the tool's name. */
  label: string;
  /** Milliseconds from the rollout's first call; null when the agent did not time it. */
  startMs: number | null;
  durationMs: number | null;
  /** `error`: a failed call (HTTP error, refused arguments); `cut`: an answer cut short (length, content filter). */
  status: 'ok' | 'error' | 'cut';
  /** What went wrong, in a few words: `HTTP 422`, `JSONDecodeError`, `cut at max_output_tokens`. */
  problem: string | null;
  /** The conversation turn the item belongs to (a model call's answer, the turn that asked for a tool). */
  turn: number | null;
  /** The conversation step of a tool call. */
  step: number | null;
  /** HTTP attempts a model call took, when more than one (the model server retried). */
  attempts: number | null;
  tokens: TimelineTokens | null;
  finishReason: string | null;
}

/** Something the trajectory says was not observed, or a stop: `max_steps_reached`, `agent_trajectory_unavailable`. */
export interface TimelineGap {
  code: string;
  detail: string | null;
  /** One sentence for a person. */
  text: string;
}

export type TimelineView =
  /** No timeline: why, in one line (an older file without ng_trajectory, or a record that cannot be read). */
  | { kind: 'absent'; reason: string }
  | {
      kind: 'timeline';
      /** Unix seconds of the first call, when timed. */
      startedAt: number | null;
      /** From the first start to the last end (or the invocation's duration when longer). */
      totalMs: number;
      /** The agent invocation's status (`completed`, `incomplete`, `failed`) and error type. */
      status: string | null;
      error: string | null;
      items: TimelineItem[];
      /** The stop that ended the rollout early (max_steps), drawn at the end of the axis. */
      stop: TimelineGap | null;
      /** Other gaps, retries excepted (they are on their calls). */
      gaps: TimelineGap[];
    };

export interface RolloutView {
  role: FileRole;
  entry: number;
  lineNumber: number;
  /** Set for a line that is not a readable rollout; `raw` then holds its beginning. */
  broken: string | null;
  raw: string | null;
  header: RolloutHeader;
  items: ConversationItem[];
  groundTruth: GroundTruthView;
  explanation: ExplanationView | null;
  /** Other top-level fields (verify extras, collector stamps), as pretty JSON. */
  fields: { name: string; json: string }[];
  /** Model and tool calls on a time axis, from the row's ng_trajectory. */
  timeline: TimelineView;
  /** Host time to read, parse and build this view. */
  buildMs: number;
}

// ---- compare ----

export type CompareChange = 'regression' | 'fix' | 'same' | 'only-primary' | 'only-compare';

export interface CompareSide {
  /** Lines of this task in the file. */
  rollouts: number;
  /** Repeats with a reward, and how many of them passed. */
  scored: number;
  passed: number;
  meanReward: number | null;
  /** pass@k at the comparison's k, when this side has at least k scored repeats of the task. */
  passAtK: number | null;
  entries: number[];
}

export interface CompareRow {
  key: string;
  taskIndex: number | null;
  taskId: string | null;
  category: string | null;
  title: string | null;
  primary: CompareSide | null;
  compare: CompareSide | null;
  /** primary − compare mean reward (the compared file is the baseline). */
  delta: number | null;
  /** primary − compare pass@k, when both sides have k repeats. */
  deltaPassAtK: number | null;
  change: CompareChange;
}

/** A figure of each file over the same tasks. */
export interface PairedFigure {
  primary: number;
  compare: number;
  tasks: number;
}

/** Is the difference in mean reward more than chance? Tasks are the pairs (see paired_statistics.ts). */
export interface CompareSignificance {
  tasks: number;
  /** Mean over tasks of (primary − compare) per-task mean reward. */
  meanDelta: number;
  bootstrap: { resamples: number; seed: number; level: number; low: number; high: number; pValue: number };
  signTest: { improved: number; worsened: number; ties: number; pValue: number };
}

export interface CompareResult {
  primaryName: string;
  compareName: string;
  /** How tasks were matched between the files. */
  matchedBy: 'task id' | 'task index' | 'line order';
  rows: CompareRow[];
  counts: Record<CompareChange, number>;
  /** Means over the tasks present in both files. */
  primaryMean: number | null;
  compareMean: number | null;
  commonTasks: number;
  /** The repeat count pass@k uses (the usual smaller repeat count of the two sides); null without repeats. */
  k: number | null;
  /** pass@1 and pass@k of each file over the common tasks with at least k scored repeats on both sides. */
  passAt1: PairedFigure | null;
  passAtK: PairedFigure | null;
  /** Null with fewer than two common scored tasks. */
  significance: CompareSignificance | null;
}

// ---- search ----

export type SearchWhere = 'system' | 'user' | 'assistant' | 'reasoning' | 'arguments' | 'output' | 'message';

export interface SearchMatch {
  entry: number;
  where: SearchWhere;
  /** The tool for arguments/outputs. */
  name: string | null;
  before: string;
  match: string;
  after: string;
}
