import { andThen } from '../../../maybe_promise';
import { pyIntConvert } from '../../../python/int_parse';
import { pyIsDigit, pyLe, pyTruthy } from '../../../python/ops';
import { PyException, type PyDict, type PyValue } from '../../../python/value';
import type { WorkplaceSession } from '../session';
import { rowToRecord, type Row } from '../table';
import { fieldColumn, isOneOf } from './fields';
import { applyMask, columnContains, containsMask, equalsMask, nextId, paginate, removeMatching, updateMatching } from './frame_ops';
import { lowerOf } from './text';
import { isPandasValueError, pandasTimestamp, sortDescendingStable, timestampCompare, type PandasTimestampValue } from './timestamps';
import { argument, defineTool, type WorkplaceTool } from './tool';

const EVENT_ID = 0;
const EVENT_NAME = 1;
const PARTICIPANT_EMAIL = 2;
const EVENT_START = 3;

const READABLE_FIELDS = ['event_id', 'event_name', 'participant_email', 'event_start', 'duration'];
const UPDATABLE_FIELDS = ['event_name', 'participant_email', 'event_start', 'duration'];

const INVALID_ID = 'Invalid event ID format. Expected 8-digit ID.';
const INVALID_START = 'Invalid event_start format. Expected YYYY-MM-DD HH:MM:SS.';

/** A string of exactly 8 characters that Python's `str.isdigit()` accepts (non-ASCII digits such as `²` pass). */
function isEventIdFormat(eventId: PyValue): boolean {
  return typeof eventId === 'string' && [...eventId].length === 8 && pyIsDigit(eventId);
}

/** `pd.Timestamp(value)` inside `try/except ValueError`: a `TypeError` (e.g. a bool) is not caught. */
function parsesAsTimestamp(value: PyValue): boolean {
  try {
    pandasTimestamp(value);
    return true;
  } catch (error) {
    if (isPandasValueError(error)) return false;
    throw error;
  }
}

/** The checks on a duration (§5.10 step 3): `int()` must accept it and give a positive number. */
function durationProblem(duration: PyValue): string | null {
  let minutes: PyValue;
  try {
    minutes = pyIntConvert(duration);
  } catch (error) {
    if (error instanceof PyException && error.type === 'ValueError') return 'Invalid duration format. Expected a number of minutes.';
    throw error;
  }
  return pyLe(minutes, 0) ? 'Duration must be a positive number of minutes.' : null;
}

/** §5.8 */
const getEventInformationById = defineTool('calendar_get_event_information_by_id', (session, args) => {
  const eventId = argument(args, 'event_id');
  const field = argument(args, 'field');
  if (!pyTruthy(eventId)) return 'Event ID not provided.';
  if (!pyTruthy(field)) return 'Field not provided.';
  if (!isEventIdFormat(eventId)) return INVALID_ID;
  if (!isOneOf(field, READABLE_FIELDS)) return 'Invalid field. Available fields are: event_id, event_name, participant_email, event_start, duration';
  const rows = session.calendar.rows;
  const event = applyMask(rows, equalsMask(rows, EVENT_ID, eventId))[0];
  if (event === undefined) return 'Event not found.';
  return new Map([[field as string, event[fieldColumn(session.calendar, field) as number] ?? null]]);
});

/** Keeps the rows whose parsed `event_start` satisfies `start <op> bound` (the bound is already parsed). */
function filterByStart(events: readonly Row[], operator: '>=' | '<=', bound: PandasTimestampValue): readonly Row[] {
  return events.filter((row) => timestampCompare(pandasTimestamp(row[EVENT_START] ?? null), operator, bound));
}

/** §5.9: regex over name or participant; start-time bounds; empty check first; stable newest-first; paginated. */
const searchEvents = defineTool('calendar_search_events', (session, args) => {
  const query = argument(args, 'query', '');
  const timeMin = argument(args, 'time_min');
  const timeMax = argument(args, 'time_max');
  const page = argument(args, 'page', 1);
  const pageSize = argument(args, 'page_size', 5);
  let lowerBound: PandasTimestampValue | undefined;
  let upperBound: PandasTimestampValue | undefined;
  if (pyTruthy(timeMin)) {
    if (!parsesAsTimestamp(timeMin)) return 'Invalid time_min format. Expected YYYY-MM-DD HH:MM:SS.';
    lowerBound = pandasTimestamp(timeMin);
  }
  if (pyTruthy(timeMax)) {
    if (!parsesAsTimestamp(timeMax)) return 'Invalid time_max format. Expected YYYY-MM-DD HH:MM:SS.';
    upperBound = pandasTimestamp(timeMax);
  }
  const rows = session.calendar.rows;
  const guard = session.regexGuard;
  return andThen(containsMask(guard, rows, EVENT_NAME, query, true), (byName) =>
    andThen(containsMask(guard, rows, PARTICIPANT_EMAIL, query, true), (byParticipant) => {
      let events: readonly Row[] = rows.filter((_, i) => byName[i] || byParticipant[i]);
      if (lowerBound !== undefined) events = filterByStart(events, '>=', lowerBound);
      if (upperBound !== undefined) events = filterByStart(events, '<=', upperBound);
      if (events.length === 0) return 'No events found.';
      return eventsPage(session, events, page, pageSize);
    }),
  );
});

/** The answer of an event search over the events found: newest first (stable), paginated. */
function eventsPage(session: WorkplaceSession, events: readonly Row[], page: PyValue, pageSize: PyValue): PyValue {
  const sorted = sortDescendingStable(events, (row) => pandasTimestamp(row[EVENT_START] ?? null));
  const records: PyDict[] = sorted.map((row) => rowToRecord(session.calendar.columns, row));
  const shown = paginate(records, page, pageSize);
  return new Map<string, PyValue>([
    ['events', shown.items()],
    [
      'pagination',
      new Map<string, PyValue>([
        ['total_events', records.length],
        ['page', shown.page],
        ['page_size', pageSize],
        ['total_pages', shown.totalPages],
      ]),
    ],
  ]);
}

/** §5.10: `event_start` and `duration` are stored as given (not normalised, JSON type kept); label 0. */
const createEvent = defineTool('calendar_create_event', (session, args) => {
  const eventName = argument(args, 'event_name');
  const participantEmail = argument(args, 'participant_email');
  const eventStart = argument(args, 'event_start');
  const duration = argument(args, 'duration');
  if (!pyTruthy(eventName)) return 'Event name not provided.';
  if (!pyTruthy(participantEmail)) return 'Participant email not provided.';
  if (!pyTruthy(eventStart)) return 'Event start not provided.';
  if (!pyTruthy(duration)) return 'Event duration not provided.';
  if (!parsesAsTimestamp(eventStart)) return INVALID_START;
  const problem = durationProblem(duration);
  if (problem !== null) return problem;
  const participant = lowerOf(participantEmail);
  const eventId = nextId(session.calendar, EVENT_ID, true);
  session.calendar.appendWithLabel([eventId, eventName, participant, eventStart, duration], 0);
  return eventId;
});

/** §5.11 */
const deleteEvent = defineTool('calendar_delete_event', (session, args) => {
  const eventId = argument(args, 'event_id');
  if (!pyTruthy(eventId)) return 'Event ID not provided.';
  if (!isEventIdFormat(eventId)) return INVALID_ID;
  if (!columnContains(session.calendar.rows, EVENT_ID, eventId)) return 'Event not found.';
  removeMatching(session.calendar, EVENT_ID, eventId);
  return 'Event deleted successfully.';
});

/** §5.12: the value is checked before the event is looked up. */
const updateEvent = defineTool('calendar_update_event', (session, args) => {
  const eventId = argument(args, 'event_id');
  const field = argument(args, 'field');
  let newValue = argument(args, 'new_value');
  if (!pyTruthy(eventId) || !pyTruthy(field) || !pyTruthy(newValue)) return 'Event ID, field, or new value not provided.';
  if (!isEventIdFormat(eventId)) return INVALID_ID;
  if (!isOneOf(field, UPDATABLE_FIELDS)) return 'Invalid field. Available fields are: event_name, participant_email, event_start, duration';
  if (field === 'event_start' && !parsesAsTimestamp(newValue)) return INVALID_START;
  if (field === 'duration') {
    const problem = durationProblem(newValue);
    if (problem !== null) return problem;
  }
  if (!columnContains(session.calendar.rows, EVENT_ID, eventId)) return 'Event not found.';
  if (field === 'participant_email') newValue = lowerOf(newValue);
  updateMatching(session.calendar, EVENT_ID, eventId, fieldColumn(session.calendar, field) as number, newValue);
  return 'Event updated successfully.';
});

export const CALENDAR_TOOLS: readonly WorkplaceTool[] = [getEventInformationById, searchEvents, createEvent, deleteEvent, updateEvent];
