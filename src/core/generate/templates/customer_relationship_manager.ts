import { call, type Template } from '../candidate';
import { TODAY, personByEmail, type Entities, type Person } from '../entities';
import { addDays, phrase } from '../phrasing';
import { CUSTOMER_FIRST_NAMES, CUSTOMER_LAST_NAMES, PRODUCTS, STATUSES, fits, personName } from './common';

const CATEGORY = 'customer_relationship_manager' as const;

function accountOwners(entities: Entities): Person[] {
  const owners = new Set(entities.customers.map((customer) => customer.assignee));
  return entities.people.filter((person) => owners.has(person.email));
}

function sameName(entities: Entities, name: string): number {
  return entities.customers.filter((customer) => customer.name.toLowerCase() === name.toLowerCase()).length;
}

/** Find a customer by name and change their status. */
const updateStatus: Template = {
  pattern: 'customer_relationship_manager.update_status',
  category: CATEGORY,
  kinds: ['action'],
  build({ rng, entities }) {
    const customer = rng.pick(entities.customers);
    const status = rng.pick(STATUSES);
    const query = phrase(rng, [
      `Update the status of ${customer.name} to ${status.toLowerCase()} in the crm`,
      `${customer.name} should be marked as ${status} in the CRM.`,
      `Can you move ${customer.name} to the ${status.toLowerCase()} stage?`,
    ]);
    return {
      pattern: this.pattern,
      category: CATEGORY,
      kind: 'action',
      query,
      entities: [customer.name, status],
      calls: [call('customer_relationship_manager_update_customer', { customer_id: customer.id, field: 'status', new_value: status })],
      descriptions: [{ text: customer.name, matches: sameName(entities, customer.name) }],
    };
  },
};

/** Search one owner's customers by status and product, then reassign each (none: nothing to do). */
const reassignCustomers: Template = {
  pattern: 'customer_relationship_manager.reassign_customers',
  category: CATEGORY,
  kinds: ['action', 'no_action'],
  build({ rng, entities }, kind) {
    const owners = accountOwners(entities);
    const from = rng.pick(owners);
    const to = rng.pick(entities.people.filter((person) => person !== from));
    const status = rng.pick(['Lead', 'Qualified', 'Proposal']);
    const product = rng.pick(PRODUCTS);
    const matching = entities.customers.filter((c) => c.assignee === from.email && c.status === status && c.product === product);
    if (kind === 'action' ? !fits(matching, 4) : matching.length > 0) return null;
    const fromName = personName(rng, from);
    const toName = personName(rng, to);
    const stage = `${status.toLowerCase()}s`.replace('qualifieds', 'qualified customers').replace('proposals', 'customers at the proposal stage');
    const query = phrase(rng, [
      `${toName} is taking over all of ${fromName}'s ${stage} that are interested in ${product.toLowerCase()}. Can you reassign them in the crm?`,
      `Reassign every one of ${fromName}'s ${stage} interested in ${product.toLowerCase()} to ${toName}.`,
      `Please hand ${fromName}'s ${product.toLowerCase()} ${stage} over to ${toName} in the CRM.`,
    ]);
    return {
      pattern: this.pattern,
      category: CATEGORY,
      kind,
      query,
      entities: [fromName, toName, product.toLowerCase()],
      calls: matching.map((c) => call('customer_relationship_manager_update_customer', { customer_id: c.id, field: 'assigned_to_email', new_value: to.email })),
      descriptions: [],
    };
  },
};

/** Search one owner's customers in a stage for a product and delete each. */
const deleteCustomers: Template = {
  pattern: 'customer_relationship_manager.delete_customers',
  category: CATEGORY,
  kinds: ['action', 'no_action'],
  build({ rng, entities }, kind) {
    const owner = rng.pick(accountOwners(entities));
    const status = rng.pick(['Won', 'Lost']);
    const product = rng.pick(PRODUCTS);
    const matching = entities.customers.filter((c) => c.assignee === owner.email && c.status === status && c.product === product);
    if (kind === 'action' ? !fits(matching, 4) : matching.length > 0) return null;
    const name = personName(rng, owner);
    const query = phrase(rng, [
      `We no longer need to keep ${name}'s customers that are in the ${status.toLowerCase()} stage and interested in ${product.toLowerCase()}. Can you delete them from the crm?`,
      `Delete all of ${name}'s ${status.toLowerCase()} ${product.toLowerCase()} customers from the CRM.`,
      `Clean up the crm: remove every customer of ${name}'s marked ${status} with an interest in ${product.toLowerCase()}.`,
    ]);
    return {
      pattern: this.pattern,
      category: CATEGORY,
      kind,
      query,
      entities: [name, status.toLowerCase(), product.toLowerCase()],
      calls: matching.map((c) => call('customer_relationship_manager_delete_customer', { customer_id: c.id })),
      descriptions: [],
    };
  },
};

/** Add a new lead for a colleague. */
const addCustomer: Template = {
  pattern: 'customer_relationship_manager.add_customer',
  category: CATEGORY,
  kinds: ['action'],
  build({ rng, entities }) {
    const owner = rng.pick(entities.people);
    const customerName = `${rng.pick(CUSTOMER_FIRST_NAMES)} ${rng.pick(CUSTOMER_LAST_NAMES)}`;
    if (sameName(entities, customerName) > 0) return null;
    const product = rng.pick(PRODUCTS);
    const name = personName(rng, owner);
    const query = phrase(rng, [
      `Can you add ${customerName} to the crm? They're a new lead interested in ${product.toLowerCase()} and need to be assigned to ${name}.`,
      `Add ${customerName} as a new lead for ${name}; they are interested in ${product.toLowerCase()}.`,
      `New lead: ${customerName}, interested in ${product.toLowerCase()}. Assign them to ${name} in the CRM.`,
    ]);
    return {
      pattern: this.pattern,
      category: CATEGORY,
      kind: 'action',
      query,
      entities: [customerName, name, product.toLowerCase()],
      calls: [call('customer_relationship_manager_add_customer', { customer_name: customerName, assigned_to_email: owner.email, status: 'Lead', product_interest: product })],
      descriptions: [],
    };
  },
};

/** Search stale proposals for a product and mark each lost. */
const staleProposalsLost: Template = {
  pattern: 'customer_relationship_manager.stale_proposals_lost',
  category: CATEGORY,
  kinds: ['action', 'no_action'],
  build({ rng, entities }, kind) {
    const product = rng.pick(PRODUCTS);
    const weeks = rng.int(2, 6);
    const cutoff = addDays(TODAY, -7 * weeks);
    const matching = entities.customers.filter((c) => c.status === 'Proposal' && c.product === product && c.lastContact.slice(0, 10) < cutoff);
    if (kind === 'action' ? !fits(matching, 4) : matching.length > 0) return null;
    const query = phrase(rng, [
      `Move all customers that haven't responded to a proposal for the ${product.toLowerCase()} product in ${weeks} weeks to lost in the crm`,
      `Any ${product.toLowerCase()} proposal with no contact for more than ${weeks} weeks is dead - mark those customers as lost.`,
      `Please set every customer at the proposal stage for ${product.toLowerCase()} that we haven't contacted in ${weeks} weeks to Lost.`,
    ]);
    return {
      pattern: this.pattern,
      category: CATEGORY,
      kind,
      query,
      entities: [product.toLowerCase(), String(weeks)],
      calls: matching.map((c) => call('customer_relationship_manager_update_customer', { customer_id: c.id, field: 'status', new_value: 'Lost' })),
      descriptions: [],
    };
  },
};

/** Delete a customer named in the query. */
const deleteCustomer: Template = {
  pattern: 'customer_relationship_manager.delete_customer',
  category: CATEGORY,
  kinds: ['action'],
  build({ rng, entities }) {
    const customer = rng.pick(entities.customers);
    const owner = personByEmail(entities, customer.assignee);
    const query = phrase(rng, [
      `${customer.name} is no longer a customer. Can you delete them from the crm?`,
      `Please remove ${customer.name} from the CRM.`,
      `Delete the crm record of ${customer.name}${owner ? ` (${owner.first}'s customer)` : ''}.`,
    ]);
    return {
      pattern: this.pattern,
      category: CATEGORY,
      kind: 'action',
      query,
      entities: [customer.name],
      calls: [call('customer_relationship_manager_delete_customer', { customer_id: customer.id })],
      descriptions: [{ text: customer.name, matches: sameName(entities, customer.name) }],
    };
  },
};

export const CUSTOMER_RELATIONSHIP_MANAGER_TEMPLATES: readonly Template[] = [updateStatus, reassignCustomers, deleteCustomers, addCustomer, staleProposalsLost, deleteCustomer];
