import { andThen } from '../../../maybe_promise';
import { compilePythonRegex } from '../../../python/regex';
import { argument, defineTool, type WorkplaceTool } from './tool';
import { lowerOf } from './text';

/** §5.1 `CompanyDirectoryTool.find_email_address(name="")`. */
const findEmailAddress = defineTool('company_directory_find_email_address', (session, args) => {
  const name = argument(args, 'name', '');
  if (name === '') return 'Name not provided.';
  const regex = compilePythonRegex(lowerOf(name), { ignoreCase: true });
  const directory = session.directory;
  return andThen(session.regexGuard.evaluate(regex, directory, 'search'), (found) => directory.filter((_, i) => found[i]));
});

export const COMPANY_DIRECTORY_TOOLS: readonly WorkplaceTool[] = [findEmailAddress];
