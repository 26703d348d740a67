import { hasInterpolation } from './interpolation_grammar.js';
import type { Override } from './overrides.js';
import { secretTestFor } from './secrets.js';
import { isConfigDict, entriesOf, type ConfigValue } from './value.js';

/**
 * Overrides that carry a secret's value literally (`+policy_api_key=nvapi-...`, or `$NVIDIA_API_KEY` expanded by the
 * shell): every local user can read them in `ps` and `/proc/<pid>/cmdline`. An interpolation
 * (`'+policy_api_key=${oc.env:NVIDIA_API_KEY}'`) or env.yaml keeps the value off the command line.
 * Returns the keys, as written.
 */
export function literalSecretOverrides(overrides: readonly Override[]): string[] {
  const keys: string[] = [];
  for (const override of overrides) {
    if (override.value === undefined) continue;
    const underSecretKey = override.path.some((segment, index) => secretTestFor(index > 0 ? override.path[index - 1]! : null)(segment));
    const last = override.path[override.path.length - 1] ?? null;
    if (holdsLiteralSecret(override.value, underSecretKey, last)) keys.push(override.key);
  }
  return keys;
}

function holdsLiteralSecret(value: ConfigValue, underSecretKey: boolean, key: string | null): boolean {
  if (Array.isArray(value)) return value.some((item) => holdsLiteralSecret(item, underSecretKey, key));
  if (isConfigDict(value)) {
    const isSecret = secretTestFor(key);
    return entriesOf(value).some(([child, item]) => holdsLiteralSecret(item, underSecretKey || isSecret(child), child));
  }
  if (!underSecretKey || value === null || typeof value === 'boolean') return false;
  const text = String(value);
  return text !== '' && !hasInterpolation(text);
}

export function literalSecretWarning(command: string, keys: readonly string[]): string {
  const first = keys[0]!;
  return (
    `warning: ${command}: +${keys.join(', +')} on the command line can be read by every user of this machine (ps, /proc). ` +
    `Pass it as '+${first}=\${oc.env:YOUR_VARIABLE}' (quoted, so the shell leaves it alone) or put it in env.yaml.`
  );
}
