import type { TaskCategory, Template } from '../candidate';
import { ANALYTICS_TEMPLATES } from './analytics';
import { CALENDAR_TEMPLATES } from './calendar';
import { CUSTOMER_RELATIONSHIP_MANAGER_TEMPLATES } from './customer_relationship_manager';
import { EMAIL_TEMPLATES } from './email';
import { MULTI_DOMAIN_TEMPLATES } from './multi_domain';
import { PROJECT_MANAGEMENT_TEMPLATES } from './project_management';

/** Every template, by category. */
export const TEMPLATES: ReadonlyMap<TaskCategory, readonly Template[]> = new Map<TaskCategory, readonly Template[]>([
  ['email', EMAIL_TEMPLATES],
  ['calendar', CALENDAR_TEMPLATES],
  ['analytics', ANALYTICS_TEMPLATES],
  ['project_management', PROJECT_MANAGEMENT_TEMPLATES],
  ['customer_relationship_manager', CUSTOMER_RELATIONSHIP_MANAGER_TEMPLATES],
  ['multi_domain', MULTI_DOMAIN_TEMPLATES],
]);

/** WorkBench's share of each category (690 tasks: 210 multi-domain, 120 analytics, 110 calendar, 90 email, 80 + 80). */
export const CATEGORY_WEIGHTS: ReadonlyArray<readonly [TaskCategory, number]> = [
  ['multi_domain', 210],
  ['analytics', 120],
  ['calendar', 110],
  ['email', 90],
  ['project_management', 80],
  ['customer_relationship_manager', 80],
];
