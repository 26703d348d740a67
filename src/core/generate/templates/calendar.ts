import { call, type Template } from '../candidate';
import { NOW, personByEmail, type EventEntity } from '../entities';
import { clockTime, durationPhrase, earliest, monthDay, phrase } from '../phrasing';
import { FUTURE_WORKDAYS, MEETING_NAMES, fits, meetingTime, personName } from './common';

const CATEGORY = 'calendar' as const;

function futureEvents(events: readonly EventEntity[]): EventEntity[] {
  return events.filter((event) => event.start > NOW);
}

/** Book a new meeting with a colleague at a given time. */
const createMeeting: Template = {
  pattern: 'calendar.create_meeting',
  category: CATEGORY,
  kinds: ['action'],
  build({ rng, entities }) {
    const person = rng.pick(entities.people);
    const name = personName(rng, person);
    const title = rng.pick(MEETING_NAMES);
    const minutes = rng.pick([30, 60, 90]);
    const day = rng.pick(FUTURE_WORKDAYS);
    const time = meetingTime(rng, minutes);
    const when = `${monthDay(day)} at ${clockTime(time)}`;
    const query = phrase(rng, [
      `Schedule a ${durationPhrase(minutes)} meeting called '${title}' with ${name} on ${when}`,
      `Can you book '${title}' with ${name} for ${when}? It should last ${minutes} minutes.`,
      `Put a ${durationPhrase(minutes)} '${title}' on my calendar with ${name}, ${when}.`,
    ]);
    return {
      pattern: this.pattern,
      category: CATEGORY,
      kind: 'action',
      query,
      entities: [title, name, monthDay(day), clockTime(time), String(minutes)],
      calls: [call('calendar_create_event', { event_name: title, participant_email: person.email, event_start: `${day} ${time}:00`, duration: String(minutes) })],
      descriptions: [],
    };
  },
};

/** Find an upcoming event by name and day, then rename it. */
const renameEvent: Template = {
  pattern: 'calendar.rename_event',
  category: CATEGORY,
  kinds: ['action'],
  build({ rng, entities }) {
    const event = rng.pick(futureEvents(entities.events));
    const newName = rng.pick(MEETING_NAMES);
    const sameDay = entities.events.filter((other) => other.day === event.day);
    const byName = rng.chance(0.6);
    const first = earliest(sameDay, (other) => other.start);
    const isFirst = first !== null && first.items.includes(event);
    if (!byName && !isFirst) return null;
    const day = monthDay(event.day);
    const described = byName ? `the ${event.name} on ${day}` : `my first event on ${day}`;
    const matches = byName ? sameDay.filter((other) => other.name === event.name).length : (first?.items.length ?? 0);
    const query = phrase(rng, [`Rename ${described} to ${newName}`, `Can you change the name of ${described} to '${newName}'?`, `${described[0]!.toUpperCase()}${described.slice(1)} should be called '${newName}' now.`]);
    return {
      pattern: this.pattern,
      category: CATEGORY,
      kind: 'action',
      query,
      entities: byName ? [event.name, day, newName] : [day, newName],
      calls: [call('calendar_update_event', { event_id: event.id, field: 'event_name', new_value: newName })],
      descriptions: [{ text: described, matches }],
    };
  },
};

/** Find an upcoming event and move it to another time the same day. */
const reschedule: Template = {
  pattern: 'calendar.reschedule',
  category: CATEGORY,
  kinds: ['action'],
  build({ rng, entities }) {
    const event = rng.pick(futureEvents(entities.events));
    const time = meetingTime(rng, Number(event.duration) || 30);
    const day = monthDay(event.day);
    const query = phrase(rng, [
      `Move the ${event.name} on ${day} to ${clockTime(time)}`,
      `Can you push the ${event.name} meeting on ${day} so it starts at ${clockTime(time)}?`,
      `Reschedule ${day}'s ${event.name} to start at ${clockTime(time)} the same day.`,
    ]);
    return {
      pattern: this.pattern,
      category: CATEGORY,
      kind: 'action',
      query,
      entities: [event.name, day, clockTime(time)],
      calls: [call('calendar_update_event', { event_id: event.id, field: 'event_start', new_value: `${event.day} ${time}:00` })],
      descriptions: [{ text: `the ${event.name} on ${day}`, matches: entities.events.filter((other) => other.day === event.day && other.name === event.name).length }],
    };
  },
};

/** Look up the next meeting with a colleague and cancel it. */
const cancelNextWith: Template = {
  pattern: 'calendar.cancel_next_with',
  category: CATEGORY,
  kinds: ['action'],
  build({ rng, entities }) {
    const upcoming = futureEvents(entities.events);
    const person = personByEmail(entities, rng.pick(upcoming).participant);
    if (person === undefined) return null;
    const next = earliest(upcoming.filter((event) => event.participant === person.email), (event) => event.start);
    if (next === null) return null;
    const name = personName(rng, person);
    const query = phrase(rng, [`Cancel my next meeting with ${name}`, `Something came up - please delete my next meeting with ${name}.`, `Can you remove the next event I have with ${name}?`]);
    return {
      pattern: this.pattern,
      category: CATEGORY,
      kind: 'action',
      query,
      entities: [name],
      calls: [call('calendar_delete_event', { event_id: (next.items[0] as EventEntity).id })],
      descriptions: [{ text: `the next meeting with ${person.handle}`, matches: next.items.length }],
    };
  },
};

/** Search a day's events after an hour and cancel each (none: nothing to do). */
const cancelAfterHour: Template = {
  pattern: 'calendar.cancel_after_hour',
  category: CATEGORY,
  kinds: ['action', 'no_action'],
  build({ rng, entities }, kind) {
    const day = rng.pick(FUTURE_WORKDAYS);
    const hour = rng.int(11, 17);
    const bound = `${day} ${String(hour).padStart(2, '0')}:00:00`;
    const matching = entities.events.filter((event) => event.day === day && event.start > bound);
    if (kind === 'action' ? !fits(matching, 4) : matching.length > 0) return null;
    const when = monthDay(day);
    const at = clockTime(`${hour}:00`);
    const query = phrase(rng, [
      `Something came up. Can you cancel my meetings on ${when} that start after ${at}?`,
      `Clear my calendar on ${when} after ${at}, please.`,
      `Delete every event on ${when} starting later than ${at}.`,
    ]);
    return {
      pattern: this.pattern,
      category: CATEGORY,
      kind,
      query,
      entities: [when, at],
      calls: matching.map((event) => call('calendar_delete_event', { event_id: event.id })),
      descriptions: [],
    };
  },
};

/** Change how long an upcoming event lasts. */
const changeDuration: Template = {
  pattern: 'calendar.change_duration',
  category: CATEGORY,
  kinds: ['action'],
  build({ rng, entities }) {
    const event = rng.pick(futureEvents(entities.events));
    const minutes = rng.pick([30, 45, 60, 90, 120]);
    const day = monthDay(event.day);
    const query = phrase(rng, [
      `Make the ${event.name} on ${day} ${minutes} minutes long`,
      `The ${event.name} on ${day} needs ${minutes} minutes - can you update it?`,
      `Change the length of ${day}'s ${event.name} to ${minutes} minutes.`,
    ]);
    return {
      pattern: this.pattern,
      category: CATEGORY,
      kind: 'action',
      query,
      entities: [event.name, day, String(minutes)],
      calls: [call('calendar_update_event', { event_id: event.id, field: 'duration', new_value: String(minutes) })],
      descriptions: [{ text: `the ${event.name} on ${day}`, matches: entities.events.filter((other) => other.day === event.day && other.name === event.name).length }],
    };
  },
};

export const CALENDAR_TEMPLATES: readonly Template[] = [createMeeting, renameEvent, reschedule, cancelNextWith, cancelAfterHour, changeDuration];
