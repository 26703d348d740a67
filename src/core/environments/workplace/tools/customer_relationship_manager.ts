import { andThen } from '../../../maybe_promise';
import { pyTruthy } from '../../../python/ops';
import type { PyValue } from '../../../python/value';
import type { WorkplaceSession } from '../session';
import { rowToRecord, type Row } from '../table';
import { fieldColumn, isOneOf } from './fields';
import { applyMask, columnContains, compareMask, filterByPatterns, nextId, paginate, removeMatching, updateMatching } from './frame_ops';
import { lowerOf } from './text';
import { argument, defineTool, type WorkplaceTool } from './tool';

const CUSTOMER_ID = 0;
const ASSIGNED_TO_EMAIL = 1;
const CUSTOMER_NAME = 2;
const CUSTOMER_EMAIL = 3;
const LAST_CONTACT_DATE = 5;
const PRODUCT_INTEREST = 6;
const STATUS = 7;
const FOLLOW_UP_BY = 8;

const STATUSES = ['Qualified', 'Won', 'Lost', 'Lead', 'Proposal'];
const PRODUCT_INTERESTS = ['Software', 'Hardware', 'Services', 'Consulting', 'Training'];

/** §5.24: regex filters, then string comparisons, in this fixed order; table order; paginated. */
const searchCustomers = defineTool('customer_relationship_manager_search_customers', (session, args) => {
  const regexFilters: ReadonlyArray<readonly [number, PyValue]> = [
    [CUSTOMER_NAME, argument(args, 'customer_name')],
    [CUSTOMER_EMAIL, argument(args, 'customer_email')],
    [PRODUCT_INTEREST, argument(args, 'product_interest')],
    [STATUS, argument(args, 'status')],
    [ASSIGNED_TO_EMAIL, argument(args, 'assigned_to_email')],
  ];
  const rangeFilters: ReadonlyArray<readonly [number, '>=' | '<=', PyValue]> = [
    [LAST_CONTACT_DATE, '>=', argument(args, 'last_contact_date_min')],
    [LAST_CONTACT_DATE, '<=', argument(args, 'last_contact_date_max')],
    [FOLLOW_UP_BY, '>=', argument(args, 'follow_up_by_min')],
    [FOLLOW_UP_BY, '<=', argument(args, 'follow_up_by_max')],
  ];
  const page = argument(args, 'page', 1);
  const pageSize = argument(args, 'page_size', 5);
  if (!regexFilters.some(([, value]) => pyTruthy(value)) && !rangeFilters.some(([, , value]) => pyTruthy(value))) {
    return 'No search parameters provided. Please provide at least one parameter.';
  }
  return andThen(filterByPatterns(session.regexGuard, session.crm.rows, regexFilters, false), (matching) => {
    let rows = matching;
    for (const [column, operator, bound] of rangeFilters) {
      if (pyTruthy(bound)) rows = applyMask(rows, compareMask(rows, column, operator, bound));
    }
    return customersPage(session, rows, page, pageSize);
  });
});

/** The answer of a customer search over the rows that passed every filter. */
function customersPage(session: WorkplaceSession, rows: readonly Row[], page: PyValue, pageSize: PyValue): PyValue {
  const customers = rows.map((row) => rowToRecord(session.crm.columns, row));
  const shown = paginate(customers, page, pageSize);
  if (customers.length === 0) return 'No customers found.';
  return new Map<string, PyValue>([
    ['customers', shown.items()],
    [
      'pagination',
      new Map<string, PyValue>([
        ['total_customers', customers.length],
        ['page', shown.page],
        ['page_size', pageSize],
        ['total_pages', shown.totalPages],
      ]),
    ],
  ]);
}

/** §5.25: values are validated first, then the customer is looked up, then the field. */
const updateCustomer = defineTool('customer_relationship_manager_update_customer', (session, args) => {
  const customerId = argument(args, 'customer_id');
  const field = argument(args, 'field');
  let newValue = argument(args, 'new_value');
  if (!pyTruthy(customerId) || !pyTruthy(field) || !pyTruthy(newValue)) return 'Customer ID, field, or new value not provided.';
  if (field === 'status' && !isOneOf(newValue, STATUSES)) {
    return "Status not valid. Please choose from: 'Qualified', 'Won', 'Lost', 'Lead', 'Proposal'";
  }
  if (field === 'product_interest' && !isOneOf(newValue, PRODUCT_INTERESTS)) {
    return "Product interest not valid. Please choose from: 'Software', 'Hardware', 'Services', 'Consulting', 'Training'";
  }
  if (field === 'customer_email' || field === 'assigned_to_email') newValue = lowerOf(newValue);
  if (!columnContains(session.crm.rows, CUSTOMER_ID, customerId)) return 'Customer not found.';
  const column = fieldColumn(session.crm, field);
  if (column === undefined) {
    return "Field not valid. Please choose from: 'customer_name', 'assigned_to_email', 'customer_email', 'customer_phone', 'last_contact_date', 'product_interest', 'status', 'notes', 'follow_up_by'";
  }
  updateMatching(session.crm, CUSTOMER_ID, customerId, column, newValue);
  return 'Customer updated successfully.';
});

/** §5.26: `status` and `product_interest` are not validated; `notes` defaults to "" and the rest to None. */
const addCustomer = defineTool('customer_relationship_manager_add_customer', (session, args) => {
  const customerName = argument(args, 'customer_name');
  const assignedToEmail = argument(args, 'assigned_to_email');
  const status = argument(args, 'status');
  let customerEmail = argument(args, 'customer_email');
  if (!pyTruthy(customerName) || !pyTruthy(assignedToEmail) || !pyTruthy(status)) {
    return 'Please provide all required fields: customer_name, assigned_to_email, status.';
  }
  const assignee = lowerOf(assignedToEmail);
  if (pyTruthy(customerEmail)) customerEmail = lowerOf(customerEmail);
  const customerId = nextId(session.crm, CUSTOMER_ID, true);
  session.crm.appendAndRelabel([
    customerId,
    assignee,
    customerName,
    customerEmail,
    argument(args, 'customer_phone'),
    argument(args, 'last_contact_date'),
    argument(args, 'product_interest'),
    status,
    argument(args, 'follow_up_by'),
    argument(args, 'notes', ''),
  ]);
  return customerId;
});

/** §5.27 */
const deleteCustomer = defineTool('customer_relationship_manager_delete_customer', (session, args) => {
  const customerId = argument(args, 'customer_id');
  if (!pyTruthy(customerId)) return 'Customer ID not provided.';
  if (!columnContains(session.crm.rows, CUSTOMER_ID, customerId)) return 'Customer not found.';
  removeMatching(session.crm, CUSTOMER_ID, customerId);
  return 'Customer deleted successfully.';
});

export const CUSTOMER_RELATIONSHIP_MANAGER_TOOLS: readonly WorkplaceTool[] = [searchCustomers, updateCustomer, addCustomer, deleteCustomer];
