import { ANALYTICS_TOOLS } from './analytics';
import { CALENDAR_TOOLS } from './calendar';
import { COMPANY_DIRECTORY_TOOLS } from './company_directory';
import { CUSTOMER_RELATIONSHIP_MANAGER_TOOLS } from './customer_relationship_manager';
import { EMAIL_TOOLS } from './email';
import { PROJECT_MANAGEMENT_TOOLS } from './project_management';
import type { WorkplaceTool } from './tool';

export type { ToolArguments, WorkplaceTool } from './tool';

/**
 * `get_tools(...)["functions"]`: the 27 tools by name. A `Map`, so names such as `__proto__` or `constructor` are
 * simply unknown.
 */
export const WORKPLACE_TOOLS: ReadonlyMap<string, WorkplaceTool> = new Map(
  [
    ...COMPANY_DIRECTORY_TOOLS,
    ...EMAIL_TOOLS,
    ...CALENDAR_TOOLS,
    ...ANALYTICS_TOOLS,
    ...PROJECT_MANAGEMENT_TOOLS,
    ...CUSTOMER_RELATIONSHIP_MANAGER_TOOLS,
  ].map((tool) => [tool.name, tool]),
);
