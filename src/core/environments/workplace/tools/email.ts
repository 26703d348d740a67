import { pySplitWhitespace, pyStrContains, pyTruthy } from '../../../python/ops';
import { pyStr } from '../../../python/repr';
import { pandasSortDescendingQuicksortOrder } from '../../../python/sort';
import { PyException, type PyDict, type PyValue } from '../../../python/value';
import { asPythonException } from '../invoke';
import type { WorkplaceSession } from '../session';
import { rowToRecord, type Row } from '../table';
import { columnContains, firstMatching, nextId, paginate, removeMatching } from './frame_ops';
import { lowerOf } from './text';
import { calendarDay, compareDays, pandasTimestamp, sortKey } from './timestamps';
import { argument, defineTool, type WorkplaceTool } from './tool';

const EMAIL_ID = 0;
const SENDER_RECIPIENT = 2;
const SUBJECT = 3;
const SENT_DATETIME = 4;
const BODY = 5;

/** `HARDCODED_CURRENT_TIME`, the only time a tool writes (§3.2). */
const SENT_NOW = '2023-11-30 23:59:00';

/** Python code that wraps its body in `try: … except Exception as e: return f"<prefix>: {e}"`. */
function catchingAll(prefix: string, body: () => PyValue): PyValue {
  try {
    return body();
  } catch (error) {
    return `${prefix}: ${asPythonException(error).message}`;
  }
}

function isEmailAddressLike(recipient: PyValue): boolean {
  return pyStrContains(recipient, '@') && pyStrContains(recipient, '.');
}

/** `send_email` as the tool and as forward/reply call it (§5.4). */
function sendEmail(session: WorkplaceSession, recipient: PyValue, subject: PyValue, body: PyValue): string {
  if (!pyTruthy(recipient) || !pyTruthy(subject) || !pyTruthy(body)) return 'Recipient, subject, or body not provided.';
  if (!isEmailAddressLike(recipient)) return 'Invalid recipient email address.';
  try {
    const lowerCasedRecipient = lowerOf(recipient);
    const emailId = nextId(session.emails, EMAIL_ID, false);
    session.emails.appendAndRelabel([emailId, 'outbox', lowerCasedRecipient, subject, SENT_NOW, body]);
  } catch (error) {
    return `Error sending email: ${asPythonException(error).message}`;
  }
  return 'Email sent successfully.';
}

/** The first row with that id (exact equality), if any. */
function findEmail(session: WorkplaceSession, emailId: PyValue): Row | undefined {
  return firstMatching(session.emails.rows, EMAIL_ID, emailId);
}

/** The text a query word must occur in: `f"{subject} {body} {sender/recipient}".lower()`, cached per row object. */
const searchTexts = new WeakMap<Row, string>();
function searchText(row: Row): string {
  let text = searchTexts.get(row);
  if (text === undefined) {
    text = lowerOf(`${pyStr(row[SUBJECT] ?? null)} ${pyStr(row[BODY] ?? null)} ${pyStr(row[SENDER_RECIPIENT] ?? null)}`);
    searchTexts.set(row, text);
  }
  return text;
}

/**
 * `[e for e in emails if pd.Timestamp(e["sent_datetime"]).date() <op> pd.Timestamp(bound).date()]`: the bound is
 * only parsed if there is a row to compare (an invalid bound with no candidate rows is no error).
 */
function filterByDay(emails: readonly Row[], bound: PyValue, operator: '>=' | '<='): readonly Row[] {
  let boundDay: number | null | undefined;
  return emails.filter((row) => {
    const day = calendarDay(pandasTimestamp(row[SENT_DATETIME] ?? null));
    if (boundDay === undefined) boundDay = calendarDay(pandasTimestamp(bound));
    return compareDays(day, operator, boundDay);
  });
}

/** `df[df.email_id == id].to_dict(orient="records")[0]` once the id is known to be present. */
function firstEmail(session: WorkplaceSession, emailId: PyValue): Row {
  const email = findEmail(session, emailId);
  if (email === undefined) throw new PyException('IndexError', 'list index out of range');
  return email;
}

/** §5.2 */
const getEmailInformationById = defineTool('email_get_email_information_by_id', (session, args) => {
  const emailId = argument(args, 'email_id');
  const field = argument(args, 'field');
  if (!pyTruthy(emailId)) return 'Email ID not provided.';
  if (!pyTruthy(field)) return 'Field not provided.';
  return catchingAll('Error retrieving email information', () => {
    const email = findEmail(session, emailId);
    if (email === undefined) return 'Email not found.';
    const record = rowToRecord(session.emails.columns, email);
    if (!pyStrContains(record, field)) {
      return `Field '${pyStr(field)}' not found. Available fields: ${[...record.keys()].join(', ')}`;
    }
    return new Map([[field as string, record.get(field as string) ?? null]]);
  });
});

/** §5.3: every query word a substring; newest first (numpy quicksort tie order); date filters; paginated. */
const searchEmails = defineTool('email_search_emails', (session, args) =>
  catchingAll('Error searching emails', () => {
    const query = argument(args, 'query', '');
    const dateMin = argument(args, 'date_min');
    const dateMax = argument(args, 'date_max');
    const page = argument(args, 'page', 1);
    const pageSize = argument(args, 'page_size', 5);
    const words = pySplitWhitespace(lowerOf(query));
    const matching = session.emails.rows.filter((row) => {
      const text = searchText(row);
      return words.every((word) => text.includes(word));
    });
    const order = pandasSortDescendingQuicksortOrder(matching.map((row) => sortKey(pandasTimestamp(row[SENT_DATETIME] ?? null))));
    let emails: readonly Row[] = order.map((i) => matching[i] as Row);
    if (pyTruthy(dateMin)) emails = filterByDay(emails, dateMin, '>=');
    if (pyTruthy(dateMax)) emails = filterByDay(emails, dateMax, '<=');
    const records: PyDict[] = emails.map((row) => rowToRecord(session.emails.columns, row));
    const shown = paginate(records, page, pageSize);
    if (records.length === 0) return 'No emails found.';
    return new Map<string, PyValue>([
      ['emails', shown.items()],
      [
        'pagination',
        new Map<string, PyValue>([
          ['total_emails', records.length],
          ['page', shown.page],
          ['page_size', pageSize],
          ['total_pages', shown.totalPages],
        ]),
      ],
    ]);
  }),
);

/** §5.4 */
const sendEmailTool = defineTool('email_send_email', (session, args) =>
  sendEmail(session, argument(args, 'recipient'), argument(args, 'subject'), argument(args, 'body')),
);

/** §5.5 */
const deleteEmail = defineTool('email_delete_email', (session, args) => {
  const emailId = argument(args, 'email_id');
  if (!pyTruthy(emailId)) return 'Email ID not provided.';
  return catchingAll('Error deleting email', () => {
    if (!columnContains(session.emails.rows, EMAIL_ID, emailId)) return 'Email not found.';
    removeMatching(session.emails, EMAIL_ID, emailId);
    return 'Email deleted successfully.';
  });
});

/** Forward and reply return send's message when it reports a problem. */
function relayOutcome(sendMessage: string, success: string): string {
  return sendMessage.includes('Error') || sendMessage.includes('Invalid') ? sendMessage : success;
}

/** §5.6: the recipient format is checked before the email is looked up. */
const forwardEmail = defineTool('email_forward_email', (session, args) => {
  const emailId = argument(args, 'email_id');
  const recipient = argument(args, 'recipient');
  if (!pyTruthy(emailId) || !pyTruthy(recipient)) return 'Email ID or recipient not provided.';
  if (!isEmailAddressLike(recipient)) return 'Invalid recipient email address.';
  return catchingAll('Error forwarding email', () => {
    if (!columnContains(session.emails.rows, EMAIL_ID, emailId)) return 'Email not found.';
    const email = firstEmail(session, emailId);
    const sent = sendEmail(session, lowerOf(recipient), `FW: ${pyStr(email[SUBJECT] ?? null)}`, email[BODY] ?? null);
    return relayOutcome(sent, 'Email forwarded successfully.');
  });
});

/** §5.7: the reply goes to the original row's sender/recipient. */
const replyEmail = defineTool('email_reply_email', (session, args) => {
  const emailId = argument(args, 'email_id');
  const body = argument(args, 'body');
  if (!pyTruthy(emailId) || !pyTruthy(body)) return 'Email ID or body not provided.';
  return catchingAll('Error replying to email', () => {
    if (!columnContains(session.emails.rows, EMAIL_ID, emailId)) return 'Email not found.';
    const email = firstEmail(session, emailId);
    const sent = sendEmail(session, email[SENDER_RECIPIENT] ?? null, `RE: ${pyStr(email[SUBJECT] ?? null)}`, body);
    return relayOutcome(sent, 'Email replied successfully.');
  });
});

export const EMAIL_TOOLS: readonly WorkplaceTool[] = [
  getEmailInformationById,
  searchEmails,
  sendEmailTool,
  deleteEmail,
  forwardEmail,
  replyEmail,
];
