import { describe, expect, it } from 'vitest';
import { formatDeepLink, parseDeepLink } from '../../../webview/deep_link';

describe('deep links', () => {
  it('reads an entry, a task and repeat, a turn and a tab', () => {
    expect(parseDeepLink('#rollout=12')).toEqual({ rollout: { entry: 12 }, turn: null });
    expect(parseDeepLink('#rollout=4:1&turn=2')).toEqual({ rollout: { taskIndex: 4, rolloutIndex: 1 }, turn: 2 });
    expect(parseDeepLink('#rollout=4:')).toEqual({ rollout: { taskIndex: 4, rolloutIndex: null }, turn: null });
    expect(parseDeepLink('#tab=failures')).toEqual({ turn: null, tab: 'failures' });
  });

  it('ignores what it does not understand', () => {
    for (const hash of ['', '#', '#rollout=', '#rollout=-1', '#rollout=a', '#rollout=1:2:3', '#rollout=1e3', '#tab=secret', '#turn=3']) expect(parseDeepLink(hash), hash).toBeNull();
    expect(parseDeepLink('#rollout=3&turn=x')).toEqual({ rollout: { entry: 3 }, turn: null });
  });

  it('writes what it reads', () => {
    for (const hash of ['#rollout=12', '#rollout=4:1&turn=2', '#rollout=4:', '#tab=compare']) expect(formatDeepLink(parseDeepLink(hash) ?? {})).toBe(hash);
    expect(formatDeepLink({})).toBe('');
  });
});
