import { describe, expect, it } from 'vitest';
import { keyChangeAction } from '../../../src/extension/secrets/key_change';

describe('keyChangeAction: a key set or cleared while a host runs', () => {
  it('does nothing without a host, or when the host already has the key', () => {
    expect(keyChangeAction({ hostRunning: false, hostKey: undefined, newKey: 'k', busy: false })).toBe('none');
    expect(keyChangeAction({ hostRunning: true, hostKey: 'k', newKey: 'k', busy: true })).toBe('none');
    expect(keyChangeAction({ hostRunning: true, hostKey: null, newKey: null, busy: false })).toBe('none');
  });

  it('stops an idle host started without the key, so the next one has it', () => {
    expect(keyChangeAction({ hostRunning: true, hostKey: null, newKey: 'k', busy: false })).toBe('stop-idle-host');
    expect(keyChangeAction({ hostRunning: true, hostKey: 'old', newKey: null, busy: false })).toBe('stop-idle-host');
  });

  it('offers a restart when servers or collections run with the old key', () => {
    expect(keyChangeAction({ hostRunning: true, hostKey: 'old', newKey: 'new', busy: true })).toBe('offer-restart');
  });
});
