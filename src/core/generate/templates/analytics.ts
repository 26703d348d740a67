import { call, type Template } from '../candidate';
import { TODAY, type AnalyticsDay } from '../entities';
import { monthDay, phrase } from '../phrasing';
import type { Prng } from '../prng';

const CATEGORY = 'analytics' as const;

/** The values `analytics_create_plot` can draw, and how a user names them. */
export const PLOT_METRICS: ReadonlyArray<readonly [value: string, words: string]> = [
  ['total_visits', 'total visits'],
  ['user_engaged', 'engaged users'],
  ['session_duration_seconds', 'average session duration'],
  ['visits_direct', 'direct visits'],
  ['visits_referral', 'referral visits'],
  ['visits_search_engine', 'search engine visits'],
  ['visits_social_media', 'social media visits'],
];

/** The metrics a condition can be checked on, with their daily value. */
export const CONDITION_METRICS: ReadonlyArray<readonly [value: string, words: string, daily: (day: AnalyticsDay) => number]> = [
  ['total_visits', 'total visits', (day) => day.totalVisits],
  ['user_engaged', 'engaged users', (day) => day.engagedUsers],
  ['session_duration_seconds', 'average session duration', (day) => day.averageSessionSeconds],
];

const PLOT_TYPES: ReadonlyArray<readonly [type: string, words: string]> = [
  ['bar', 'bar chart'],
  ['line', 'line chart'],
  ['scatter', 'scatter plot'],
  ['histogram', 'histogram'],
];

/** Two distinct days of the analytics table, in order. */
function dateRange(rng: Prng, days: readonly AnalyticsDay[]): [string, string] {
  const a = rng.int(0, days.length - 2);
  const b = rng.int(a + 1, Math.min(days.length - 1, a + 30));
  return [(days[a] as AnalyticsDay).date, (days[b] as AnalyticsDay).date];
}

/** One plot over a date range. */
const plotRange: Template = {
  pattern: 'analytics.plot_range',
  category: CATEGORY,
  kinds: ['action'],
  build({ rng, entities }) {
    const [value, words] = rng.pick(PLOT_METRICS);
    const [type, typeWords] = rng.pick(PLOT_TYPES);
    const [from, to] = dateRange(rng, entities.analyticsDays);
    const range = `from ${monthDay(from)} to ${monthDay(to)}`;
    const query = phrase(rng, [`Make a ${typeWords} of ${words} ${range}`, `Can you plot ${words} ${range} as a ${typeWords}?`, `I'd like a ${typeWords} showing ${words} ${range}.`]);
    return {
      pattern: this.pattern,
      category: CATEGORY,
      kind: 'action',
      query,
      entities: [words, typeWords, monthDay(from), monthDay(to)],
      calls: [call('analytics_create_plot', { time_min: from, time_max: to, value_to_plot: value, plot_type: type })],
      descriptions: [],
    };
  },
};

/** Two plots of the same range, in the order asked. */
const plotTwoMetrics: Template = {
  pattern: 'analytics.plot_two_metrics',
  category: CATEGORY,
  kinds: ['action'],
  build({ rng, entities }) {
    const [first, second] = rng.shuffle(PLOT_METRICS).slice(0, 2) as [readonly [string, string], readonly [string, string]];
    const [type, typeWords] = rng.pick(PLOT_TYPES);
    const [from, to] = dateRange(rng, entities.analyticsDays);
    const range = `from ${monthDay(from)} to ${monthDay(to)}`;
    const query = phrase(rng, [
      `Make ${typeWords}s of ${first[1]} and then ${second[1]} ${range}`,
      `First plot ${first[1]}, then ${second[1]}, ${range} - ${typeWords}s please.`,
      `I need two ${typeWords}s ${range}: one of ${first[1]}, then one of ${second[1]}.`,
    ]);
    return {
      pattern: this.pattern,
      category: CATEGORY,
      kind: 'action',
      query,
      entities: [first[1], second[1], typeWords, monthDay(from), monthDay(to)],
      calls: [first, second].map(([value]) => call('analytics_create_plot', { time_min: from, time_max: to, value_to_plot: value, plot_type: type })),
      descriptions: [],
    };
  },
};

/**
 * WorkBench's conditional analytics: check a metric's daily values since a day against a threshold, plot only if
 * it was crossed. The threshold is chosen from the data so the answer is what the kind asks for.
 */
const conditionalPlot: Template = {
  pattern: 'analytics.conditional_plot',
  category: CATEGORY,
  kinds: ['action', 'no_action'],
  build({ rng, entities }, kind) {
    const [value, words, daily] = rng.pick(CONDITION_METRICS);
    const days = entities.analyticsDays;
    const start = rng.int(Math.max(0, days.length - 45), days.length - 3);
    const since = (days[start] as AnalyticsDay).date;
    const values = days.slice(start).map(daily);
    const above = rng.chance(0.5);
    const extreme = above ? Math.max(...values) : Math.min(...values);
    // "more than N" holds when max > N; "less than N" when min < N.
    const edge = above ? Math.ceil(extreme) - 1 : Math.floor(extreme) + 1;
    const threshold = kind === 'action' ? (above ? edge - rng.int(0, 2) : edge + rng.int(0, 2)) : above ? Math.ceil(extreme) + rng.int(0, 2) : Math.floor(extreme) - rng.int(0, 2);
    if (threshold <= 0) return null;
    const holds = above ? extreme > threshold : extreme < threshold;
    if (holds !== (kind === 'action')) return null;
    const comparison = above ? 'more than' : 'less than';
    const day = monthDay(since);
    const today = monthDay(TODAY);
    const query = phrase(rng, [
      `If ${words} was ${comparison} ${threshold} on any day since ${day}, make a line chart of it from ${day} to ${today}`,
      `Was ${words} ${comparison} ${threshold} at any time since ${day}? If so, plot it as a line chart from ${day} to ${today}.`,
      `Can you check whether ${words} went ${above ? 'above' : 'below'} ${threshold} on any day since ${day}, and if it did, make a line chart of it from ${day} to ${today}?`,
    ]);
    return {
      pattern: this.pattern,
      category: CATEGORY,
      kind,
      query,
      entities: [words, String(threshold), day, today],
      calls: kind === 'action' ? [call('analytics_create_plot', { time_min: since, time_max: TODAY, value_to_plot: value, plot_type: 'line' })] : [],
      descriptions: [],
    };
  },
};

/** A question only: the answer is a number, nothing changes. */
const askOnly: Template = {
  pattern: 'analytics.question_only',
  category: CATEGORY,
  kinds: ['no_action'],
  build({ rng, entities }) {
    const day = rng.pick(entities.analyticsDays);
    const [, words] = rng.pick(CONDITION_METRICS);
    const when = monthDay(day.date);
    const query = phrase(rng, [
      `What was ${words} on ${when}? Just tell me, don't change anything.`,
      `How did ${words} look on ${when}? I only need the number.`,
      `Quick question, no need to make a chart: what was ${words} on ${when}?`,
    ]);
    return { pattern: this.pattern, category: CATEGORY, kind: 'no_action', query, entities: [words, when], calls: [], descriptions: [] };
  },
};

export const ANALYTICS_TEMPLATES: readonly Template[] = [plotRange, plotTwoMetrics, conditionalPlot, askOnly];
