import { REDACTED, redactConfig, resolveConfig } from '../config';
import { entriesOf, isConfigDict, toConfigValue, type ConfigDict, type ConfigValue } from '../config/value';
import { SERVER_TYPES } from './head_discovery';

/** Keys a running deployment fills in itself; they never count as a difference. */
const ASSIGNED_KEYS = new Set(['host', 'port']);
const MAX_DIFFERENCES = 5;

/**
 * How a running deployment (its head server's config) differs from the config a command was asked to start:
 * every server block of ours must run there with the same type, implementation and settings (hosts, ports and
 * masked secrets aside). Both sides are resolved first, so `${policy_model_name}` and its value compare equal.
 * Returns readable differences (at most a few), empty when the deployment is the one asked for.
 */
export function deploymentDifferences(wanted: ConfigDict, running: Record<string, unknown>, secrets: readonly string[], env: Record<string, string | undefined>): string[] {
  const ours = redactConfig(resolveLeniently(wanted, env), secrets) as ConfigDict;
  const theirs = redactConfig(resolveLeniently(toConfigDict(running), env), secrets) as ConfigDict;
  const differences: string[] = [];
  for (const [name, block] of entriesOf(ours)) {
    if (!isConfigDict(block) || !SERVER_TYPES.some((type) => isConfigDict(block[type]))) continue;
    const other = theirs[name];
    if (!isConfigDict(other)) {
      differences.push(`${name} is not running there`);
      continue;
    }
    compare(block, other, name, differences);
    if (differences.length >= MAX_DIFFERENCES) break;
  }
  return differences.slice(0, MAX_DIFFERENCES);
}

function compare(ours: ConfigValue, theirs: ConfigValue | undefined, path: string, differences: string[]): void {
  if (differences.length >= MAX_DIFFERENCES) return;
  if (ours === REDACTED || theirs === REDACTED) return;
  if (isConfigDict(ours) && isConfigDict(theirs)) {
    for (const [key, value] of entriesOf(ours)) {
      if (ASSIGNED_KEYS.has(key)) continue;
      compare(value, theirs[key], `${path}.${key}`, differences);
    }
    return;
  }
  if (JSON.stringify(ours) !== JSON.stringify(theirs ?? null)) {
    differences.push(`${path}: ${describe(theirs)} there, ${describe(ours)} asked for`);
  }
}

function describe(value: ConfigValue | undefined): string {
  if (value === undefined) return 'unset';
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}

function toConfigDict(value: Record<string, unknown>): ConfigDict {
  const converted = toConfigValue(value, 'the head server config');
  return isConfigDict(converted) ? converted : {};
}

/** Resolves what can be resolved; a config with a dangling reference is compared as written. */
function resolveLeniently(config: ConfigDict, env: Record<string, string | undefined>): ConfigDict {
  try {
    return resolveConfig(config, { env });
  } catch {
    return config;
  }
}
