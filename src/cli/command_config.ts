import { dirname } from 'node:path';
import { checkOptions, collectSecretValues, literalSecretOverrides, literalSecretWarning, loadGlobalConfig, redactText, resolve, type ConfigDict, type LoadedConfig } from '../core/config';
import type { CliIO } from './cli_io';

/** Where `configs/` and a fallback env.yaml live: the package root (the bundle is `<root>/dist/cli.js`). */
export const INSTALL_ROOT = dirname(__dirname);

export interface CommandConfig {
  loaded: LoadedConfig;
  config: ConfigDict;
  secrets: string[];
  redact: (text: string) => string;
  /** A top-level option, interpolations resolved; undefined when unset. */
  option(key: string): unknown;
  wantsHelp: boolean;
}

/** Parses a command's Hydra-style arguments and checks its options (misspelt ones are errors with a suggestion). */
export function loadCommandConfig(command: string, givenArgv: string[], io: CliIO, knownKeys: readonly string[], checkUnknown = true): CommandConfig {
  // `--help` and `-h` as every command line has them, besides NeMo Gym's `+help=true`.
  const argv = givenArgv.map((arg) => (arg === '--help' || arg === '-h' ? '+help=true' : arg));
  const loaded = loadGlobalConfig({ argv, cwd: io.cwd, installRoot: INSTALL_ROOT, env: io.env, command });
  const secrets = collectSecretValues(loaded.config, io.env);
  if (checkUnknown) checkOptions(loaded.config, { command, knownKeys, keysToCheck: loaded.commandLineKeys });
  const exposed = literalSecretOverrides(loaded.overrides);
  if (exposed.length > 0) {
    const flag = io.displayName !== undefined && exposed.includes('policy_api_key') ? ` With ${io.displayName.split(' ')[0]}: --model-api-key '\${oc.env:YOUR_VARIABLE}'.` : '';
    io.stderr(`${literalSecretWarning(io.displayName ?? command, exposed)}${flag}\n`);
  }
  const option = (key: string) => (Object.hasOwn(loaded.config, key) ? resolve(loaded.config, key, { env: io.env }) : undefined);
  return {
    loaded,
    config: loaded.config,
    secrets,
    redact: (text) => redactText(text, secrets),
    option,
    wantsHelp: option('h') === true || option('help') === true,
  };
}

export function stringOption(value: unknown, name: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  throw new UsageError(`+${name} should be a string.`);
}

export function intOption(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value);
  throw new UsageError(`+${name} should be a whole number, not ${JSON.stringify(value)}.`);
}

export function boolOption(value: unknown, name: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  throw new UsageError(`+${name} should be true or false, not ${JSON.stringify(value)}.`);
}

/** A mistake in how the command was called; printed without a stack trace. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
