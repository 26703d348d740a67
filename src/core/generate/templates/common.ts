import type { Person } from '../entities';
import type { Prng } from '../prng';

/** Words the templates put into new rows (subjects, bodies, names): invented, so they never collide with table text. */
export const EMAIL_SUBJECTS = [
  'Quarterly planning',
  'Budget review follow-up',
  'Design handoff',
  'Customer feedback summary',
  'Release checklist',
  'Team offsite logistics',
  'Hiring pipeline update',
  'Security audit notes',
  'Roadmap questions',
  'Onboarding schedule',
];

export const EMAIL_BODIES = [
  'Can we find time this week to go over the numbers?',
  'Please send me your comments by Friday.',
  'The draft is ready for your review.',
  'Let me know if anything is blocking you.',
  'I have attached the latest version to the shared drive.',
  'Could you confirm the dates when you get a chance?',
  'Thanks for pulling this together so quickly.',
  'We should loop in the design team before the next step.',
];

export const REPLY_BODIES = [
  'Thanks for the update - I will get back to you tomorrow.',
  'Got it, thanks. Let us discuss at the next sync.',
  'Looks good to me, please go ahead.',
  'Thanks! I will review this by end of week.',
  'Appreciate the heads-up - keep me posted.',
];

export const MEETING_NAMES = [
  'Budget sync',
  'Roadmap review',
  'Design critique',
  'Customer escalation review',
  'Sprint retrospective',
  'Hiring debrief',
  'Launch readiness check',
  'Quarterly business review',
  'Architecture deep dive',
  'One-on-one',
];

export const NEW_TASK_NAMES = [
  'Audit accessibility of checkout flow',
  'Write API rate limit documentation',
  'Refresh onboarding illustrations',
  'Migrate CI to new runners',
  'Prototype dark mode palette',
  'Add retry logic to payment webhook',
  'Clean up unused feature flags',
  'Benchmark search indexing job',
  'Draft style guide for icons',
  'Set up error budget alerts',
];

export const CUSTOMER_FIRST_NAMES = ['Avery', 'Blake', 'Dakota', 'Emerson', 'Finley', 'Harper', 'Jordan', 'Kendall', 'Marlowe', 'Rowan', 'Sawyer', 'Tatum'];
export const CUSTOMER_LAST_NAMES = ['Okafor', 'Lindqvist', 'Moreno', 'Haddad', 'Kowalski', 'Nakamura', 'Fitzgerald', 'Oyelaran', 'Delacroix', 'Varga'];

export const BOARDS = ['Back end', 'Front end', 'Design'];
export const LISTS = ['Backlog', 'In Progress', 'In Review', 'Completed'];
export const STATUSES = ['Qualified', 'Won', 'Lost', 'Lead', 'Proposal'];
export const PRODUCTS = ['Software', 'Hardware', 'Services', 'Consulting', 'Training'];

/** Future working days a new meeting or due date may fall on (the tasks' "today" is Thursday 2023-11-30). */
export const FUTURE_WORKDAYS = [
  '2023-12-01',
  '2023-12-04',
  '2023-12-05',
  '2023-12-06',
  '2023-12-07',
  '2023-12-08',
  '2023-12-11',
  '2023-12-12',
  '2023-12-13',
  '2023-12-14',
  '2023-12-15',
];

/** How a person is named in a query: WorkBench mostly uses the lower-case first name. */
export function personName(rng: Prng, person: Person): string {
  return rng.pick([person.handle, person.first, person.first, person.full]);
}

/** A start time between 9am and `latestEnd` minus the duration, on the half hour, as `HH:MM`. */
export function meetingTime(rng: Prng, durationMinutes: number): string {
  const latestStart = 18 * 60 - durationMinutes;
  const slots: string[] = [];
  for (let minutes = 9 * 60; minutes <= latestStart; minutes += 30) {
    slots.push(`${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`);
  }
  return rng.pick(slots);
}

export function lowerFirst(text: string): string {
  return text.length === 0 ? text : text[0]!.toLowerCase() + text.slice(1);
}

/** At most `limit` items: the templates keep multi-row tasks small enough for a six-step agent. */
export function fits<T>(items: readonly T[], limit: number): boolean {
  return items.length >= 1 && items.length <= limit;
}
