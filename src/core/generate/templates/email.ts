import { call, type Candidate, type Template } from '../candidate';
import { TODAY, type EmailEntity, type Person } from '../entities';
import { addDays, latest, monthDay, phrase } from '../phrasing';
import { EMAIL_BODIES, EMAIL_SUBJECTS, REPLY_BODIES, fits, personName } from './common';

const CATEGORY = 'email' as const;

function sendersWithEmail(emails: readonly EmailEntity[], people: readonly Person[]): Person[] {
  const senders = new Set(emails.map((email) => email.sender));
  return people.filter((person) => senders.has(person.email));
}

/** Send a new email to a colleague. */
const send: Template = {
  pattern: 'email.send',
  category: CATEGORY,
  kinds: ['action'],
  build({ rng, entities }) {
    const to = rng.pick(entities.people);
    const name = personName(rng, to);
    const subject = rng.pick(EMAIL_SUBJECTS);
    const body = rng.pick(EMAIL_BODIES);
    const query = phrase(rng, [
      `Send an email to ${name} titled '${subject}' saying '${body}'`,
      `I need to email ${name} with the subject '${subject}' and the body '${body}'. Can you do that?`,
      `Please write to ${name}: subject '${subject}', message '${body}'`,
    ]);
    return {
      pattern: this.pattern,
      category: CATEGORY,
      kind: 'action',
      query,
      entities: [name, subject, body],
      calls: [call('email_send_email', { recipient: to.email, subject, body })],
      descriptions: [],
    };
  },
};

/** Look up a colleague's email about a subject, then reply to it. */
const replyLatestAbout: Template = {
  pattern: 'email.reply_latest_about',
  category: CATEGORY,
  kinds: ['action'],
  build({ rng, entities }) {
    const picked = rng.pick(entities.emails);
    const sender = entities.people.find((person) => person.email === picked.sender);
    if (sender === undefined) return null;
    const name = personName(rng, sender);
    const sameSubject = entities.emails.filter((email) => email.sender === sender.email && email.subject === picked.subject);
    const body = rng.pick(REPLY_BODIES);
    // Most phrasings say "last"; one does not, and is kept only when the subject alone names one email.
    const saysLatest = rng.chance(0.8);
    const target = saysLatest ? latest(sameSubject, (email) => email.sent) : { value: picked.sent, items: sameSubject };
    if (target === null) return null;
    const email = target.items[0] as EmailEntity;
    const query = saysLatest
      ? phrase(rng, [
          `Reply to ${name}'s last email about '${picked.subject}' with '${body}'`,
          `Can you answer ${name}'s most recent email about '${picked.subject}'? Say '${body}'`,
          `Send '${body}' as a reply to the latest email ${name} sent me about '${picked.subject}'.`,
        ])
      : `Reply to ${name}'s email about '${picked.subject}' with '${body}'`;
    return {
      pattern: this.pattern,
      category: CATEGORY,
      kind: 'action',
      query,
      entities: [name, picked.subject, body],
      calls: [call('email_reply_email', { email_id: email.id, body })],
      descriptions: [{ text: `${saysLatest ? 'the last ' : ''}email from ${sender.handle} about '${picked.subject}'`, matches: target.items.length }],
    };
  },
};

/** Forward a colleague's most recent email to someone else. */
const forwardLatestFrom: Template = {
  pattern: 'email.forward_latest_from',
  category: CATEGORY,
  kinds: ['action'],
  build({ rng, entities }) {
    const from = rng.pick(sendersWithEmail(entities.emails, entities.people));
    const to = rng.pick(entities.people.filter((person) => person !== from));
    const newest = latest(entities.emails.filter((email) => email.sender === from.email), (email) => email.sent);
    if (newest === null) return null;
    const fromName = personName(rng, from);
    const toName = personName(rng, to);
    const query = phrase(rng, [
      `Forward my most recent email from ${fromName} to ${toName}`,
      `Can you send ${toName} the last email ${fromName} sent me?`,
      `${toName} should see ${fromName}'s latest email - please forward it to them.`,
    ]);
    return {
      pattern: this.pattern,
      category: CATEGORY,
      kind: 'action',
      query,
      entities: [fromName, toName],
      calls: [call('email_forward_email', { email_id: (newest.items[0] as EmailEntity).id, recipient: to.email })],
      descriptions: [{ text: `the latest email from ${from.handle}`, matches: newest.items.length }],
    };
  },
};

/** Delete a colleague's most recent email. */
const deleteLatestFrom: Template = {
  pattern: 'email.delete_latest_from',
  category: CATEGORY,
  kinds: ['action'],
  build({ rng, entities }) {
    const from = rng.pick(sendersWithEmail(entities.emails, entities.people));
    const newest = latest(entities.emails.filter((email) => email.sender === from.email), (email) => email.sent);
    if (newest === null) return null;
    const name = personName(rng, from);
    const query = phrase(rng, [`Delete my last email from ${name}`, `Please get rid of the most recent email ${name} sent me.`, `Can you delete ${name}'s latest email?`]);
    return {
      pattern: this.pattern,
      category: CATEGORY,
      kind: 'action',
      query,
      entities: [name],
      calls: [call('email_delete_email', { email_id: (newest.items[0] as EmailEntity).id })],
      descriptions: [{ text: `the latest email from ${from.handle}`, matches: newest.items.length }],
    };
  },
};

/** Search a colleague's emails since a day, then delete each of them (none: nothing to do). */
const deleteFromSince: Template = {
  pattern: 'email.delete_from_since',
  category: CATEGORY,
  kinds: ['action', 'no_action'],
  build({ rng, entities }, kind) {
    const from = rng.pick(sendersWithEmail(entities.emails, entities.people));
    const since = addDays(TODAY, -rng.int(1, 8));
    const matching = entities.emails.filter((email) => email.sender === from.email && email.day >= since);
    if (kind === 'action' ? !fits(matching, 4) : matching.length > 0) return null;
    const name = personName(rng, from);
    const day = monthDay(since);
    const query = phrase(rng, [
      `Delete every email ${name} has sent me since ${day}.`,
      `I need to get rid of all my emails from ${name} since ${day}. Can you delete them?`,
      `Clear out the emails from ${name} that arrived on or after ${day}.`,
    ]);
    return {
      pattern: this.pattern,
      category: CATEGORY,
      kind,
      query,
      entities: [name, day],
      calls: matching.map((email) => call('email_delete_email', { email_id: email.id })),
      descriptions: [],
    } satisfies Candidate;
  },
};

export const EMAIL_TEMPLATES: readonly Template[] = [send, replyLatestAbout, forwardLatestFrom, deleteLatestFrom, deleteFromSince];
