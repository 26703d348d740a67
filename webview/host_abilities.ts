import type { HostAbilities } from '../src/core/viewer/protocol';

/** What the host can do for the page (from the `ready` answer); until then, nothing beyond data. */
let abilities: HostAbilities = { revealLine: false, openLinks: false };

export function setHostAbilities(value: HostAbilities): void {
  abilities = value;
}

export function hostAbilities(): HostAbilities {
  return abilities;
}
