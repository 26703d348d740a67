import { pyTruthy } from '../../../python/ops';
import { pyStr } from '../../../python/repr';
import { PyFloat, type PyDict } from '../../../python/value';
import type { WorkplaceSession } from '../session';
import { rowToRecord, type Row } from '../table';
import { isOneOf } from './fields';
import { applyMask, compareMask, equalsMask } from './frame_ops';
import { argument, defineTool, type ToolArguments, type WorkplaceTool } from './tool';

const DATE_OF_VISIT = 0;
const VISITOR_ID = 1;
const SESSION_DURATION = 3;
const TRAFFIC_SOURCE = 4;
const USER_ENGAGED = 5;

const VALUES_TO_PLOT = [
  'total_visits',
  'session_duration_seconds',
  'user_engaged',
  'visits_direct',
  'visits_referral',
  'visits_search_engine',
  'visits_social_media',
];
const PLOT_TYPES = ['bar', 'line', 'scatter', 'histogram'];

/** Rows with `date_of_visit >= time_min` and `<= time_max` (string comparisons), each bound only if truthy (§4.4). */
function visitsInRange(session: WorkplaceSession, args: ToolArguments): readonly Row[] {
  const timeMin = argument(args, 'time_min');
  const timeMax = argument(args, 'time_max');
  let rows = session.analytics.rows;
  if (pyTruthy(timeMin)) rows = applyMask(rows, compareMask(rows, DATE_OF_VISIT, '>=', timeMin));
  if (pyTruthy(timeMax)) rows = applyMask(rows, compareMask(rows, DATE_OF_VISIT, '<=', timeMax));
  return rows;
}

/** `groupby("date_of_visit")` then one value per date, with the dates in ascending order. */
function perDate<T>(rows: readonly Row[], reduce: (group: Row[]) => T): Map<string, T> {
  const groups = new Map<string, Row[]>();
  for (const row of rows) {
    const date = row[DATE_OF_VISIT] as string;
    let group = groups.get(date);
    if (group === undefined) groups.set(date, (group = []));
    group.push(row);
  }
  const dates = [...groups.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return new Map(dates.map((date) => [date, reduce(groups.get(date) as Row[])]));
}

function visitorRecord(session: WorkplaceSession, row: Row): PyDict {
  const record = rowToRecord(session.analytics.columns, row);
  if (session.sessionDurationsAreFloats) record.set('session_duration_seconds', new PyFloat(Number(row[SESSION_DURATION])));
  return record;
}

/** §5.13 */
const getVisitorInformationById = defineTool('analytics_get_visitor_information_by_id', (session, args) => {
  const visitorId = argument(args, 'visitor_id');
  if (!pyTruthy(visitorId)) return 'Visitor ID not provided.';
  const rows = session.analytics.rows;
  const matches = applyMask(rows, equalsMask(rows, VISITOR_ID, visitorId));
  if (matches.length === 0) return 'Visitor not found.';
  return matches.map((row) => visitorRecord(session, row));
});

/** §5.14 and §6: records the path of a plot that is never drawn. */
const createPlot = defineTool('analytics_create_plot', (session, args) => {
  const timeMin = argument(args, 'time_min');
  const timeMax = argument(args, 'time_max');
  const valueToPlot = argument(args, 'value_to_plot');
  const plotType = argument(args, 'plot_type');
  if (!pyTruthy(timeMin)) return 'Start date not provided.';
  if (!pyTruthy(timeMax)) return 'End date not provided.';
  if (!isOneOf(valueToPlot, VALUES_TO_PLOT)) {
    return "Value to plot must be one of 'total_visits', 'session_duration_seconds', 'user_engaged', 'visits_direct', 'visits_referral', 'visits_search_engine', 'visits_social_media'";
  }
  if (!isOneOf(plotType, PLOT_TYPES)) return "Plot type must be one of 'bar', 'line', 'scatter', or 'histogram'";
  const filePath = `plots/${pyStr(timeMin)}_${pyStr(timeMax)}_${pyStr(valueToPlot)}_${pyStr(plotType)}.png`;
  session.plots.appendWithLabel([filePath], session.plots.rows.length);
  return filePath;
});

/** §5.15 */
const totalVisitsCount = defineTool('analytics_total_visits_count', (session, args) =>
  perDate(visitsInRange(session, args), (group) => group.length),
);

/** §5.16 */
const engagedUsersCount = defineTool('analytics_engaged_users_count', (session, args) =>
  perDate(visitsInRange(session, args), (group) => group.filter((row) => row[USER_ENGAGED] === true).length),
);

/** §5.17: an unknown or mis-cased source counts zero visits, not an error. */
const trafficSourceCount = defineTool('analytics_traffic_source_count', (session, args) => {
  const rows = visitsInRange(session, args);
  const trafficSource = argument(args, 'traffic_source');
  if (!pyTruthy(trafficSource)) return perDate(rows, (group) => group.length);
  const mask = equalsMask(rows, TRAFFIC_SOURCE, trafficSource);
  const matching = new Set(applyMask(rows, mask));
  return perDate(rows, (group) => group.filter((row) => matching.has(row)).length);
});

/**
 * §5.18: the per-date mean as a float. Without either bound the tool converts the session's
 * `session_duration_seconds` column to float64 in place, which later visitor lookups show (§3.6).
 */
const getAverageSessionDuration = defineTool('analytics_get_average_session_duration', (session, args) => {
  if (!pyTruthy(argument(args, 'time_min')) && !pyTruthy(argument(args, 'time_max'))) session.sessionDurationsAreFloats = true;
  return perDate(visitsInRange(session, args), (group) => {
    let sum = 0;
    for (const row of group) sum += Number(row[SESSION_DURATION]);
    return new PyFloat(sum / group.length);
  });
});

export const ANALYTICS_TOOLS: readonly WorkplaceTool[] = [
  getVisitorInformationById,
  createPlot,
  totalVisitsCount,
  engagedUsersCount,
  trafficSourceCount,
  getAverageSessionDuration,
];
