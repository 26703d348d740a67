/**
 * The host process reads the policy API key from its environment when it starts, so a key set or cleared later
 * reaches it only through a new host. What to do about the one running when the key changes:
 * - `none`: no host, or it already has this key;
 * - `stop-idle-host`: nothing runs in it (no servers, no collection), so it is stopped quietly and the next use
 *   starts one with the new key;
 * - `offer-restart`: servers or collections run in it; the user chooses when to restart.
 */
export type KeyChangeAction = 'none' | 'stop-idle-host' | 'offer-restart';

export interface KeyChangeFacts {
  hostRunning: boolean;
  /** The key the running host was started with (null: none); undefined when not known. */
  hostKey: string | null | undefined;
  newKey: string | null;
  busy: boolean;
}

export function keyChangeAction(facts: KeyChangeFacts): KeyChangeAction {
  if (!facts.hostRunning || facts.hostKey === facts.newKey) return 'none';
  return facts.busy ? 'offer-restart' : 'stop-idle-host';
}
