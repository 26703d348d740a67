import { BOOT_ELEMENT_ID, PROTOCOL_VERSION, type BootSnapshot } from '../src/core/viewer/protocol';

/** The host's snapshot written into the page (BootSnapshot), if there is one this page can use. */
export function readBootSnapshot(): BootSnapshot | null {
  const text = document.getElementById(BOOT_ELEMENT_ID)?.textContent;
  if (!text) return null;
  try {
    const boot = JSON.parse(text) as Partial<BootSnapshot> | null;
    return boot?.info?.protocol === PROTOCOL_VERSION && Array.isArray(boot.list?.rows) ? (boot as BootSnapshot) : null;
  } catch {
    return null;
  }
}
