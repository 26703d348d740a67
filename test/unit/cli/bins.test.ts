import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMAND_NAMES } from '../../../src/cli/main';
import { REPO_ROOT } from '../../support/paths';

describe('package bins', () => {
  const bins = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> }).bin;

  it('gym and ng enter the gym program under their own name', () => {
    for (const name of ['gym', 'ng']) expect(readFileSync(join(REPO_ROOT, bins[name]!), 'utf8')).toContain(`require('../dist/cli.js').gymMain(process.argv.slice(2), '${name}');`);
  });

  it('every ng_* bin names its own command, one the CLI has', () => {
    const legacy = Object.entries(bins).filter(([name]) => name.startsWith('ng_'));
    expect(legacy.map(([name]) => name)).toEqual(expect.arrayContaining(['ng_run', 'ng_collect_rollouts', 'ng_aggregate_rollouts', 'ng_reward_profile']));
    for (const [name, path] of legacy) {
      expect(readFileSync(join(REPO_ROOT, path), 'utf8')).toContain(`require('../dist/cli.js').main('${name}', process.argv.slice(2));`);
      expect(COMMAND_NAMES).toContain(name);
    }
  });
});
