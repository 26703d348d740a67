import { compilePythonRegex } from '../../../python/regex';
import { argument, defineTool, type WorkplaceTool } from './tool';
import { lowerOf } from './text';

/** §5.1 `CompanyDirectoryTool.find_email_address(name="")`. */
const findEmailAddress = defineTool('company_directory_find_email_address', (session, args) => {
  const name = argument(args, 'name', '');
  if (name === '') return 'Name not provided.';
  const regex = compilePythonRegex(lowerOf(name), { ignoreCase: true });
  return session.directory.filter((address) => regex.search(address));
});

export const COMPANY_DIRECTORY_TOOLS: readonly WorkplaceTool[] = [findEmailAddress];
