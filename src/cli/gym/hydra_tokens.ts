import { assetConfigPath } from './assets';
import { optionProperty, type FlagSpec } from './flags';

const NEEDS_QUOTES = /[\s,[\]{}'"\\=()]/;

/** A flag's value as a Hydra override value: as typed (so `0.7` is a float, as in NeMo Gym), quoted only when Hydra's grammar needs it. */
export function hydraValue(value: string): string {
  if (!NEEDS_QUOTES.test(value) || value.includes('${')) return value;
  const escaped = value.replace(/(\\*)'/g, (_, backslashes: string) => `${backslashes}${backslashes}\\'`).replace(/(\\+)$/, '$1$1');
  return `'${escaped}'`;
}

const CONFIG_PATHS_PREFIX = '+config_paths=[';

/**
 * The Hydra overrides for parsed flags, followed by the ones typed after them, with every config path (from
 * `--config`, the named-asset flags and any `+config_paths=[...]` typed) in one leading `+config_paths=[...]`,
 * as NeMo Gym's `_merge_config_paths` does.
 */
export function hydraTokens(specs: readonly FlagSpec[], options: Record<string, unknown>, overrides: readonly string[], cwd: string): string[] {
  const configPaths: string[] = [];
  const tokens: string[] = [];
  for (const spec of specs) {
    const value = options[optionProperty(spec.flags)];
    if (value === undefined || value === false) continue;
    switch (spec.kind) {
      case 'value':
        tokens.push(`+${spec.key}=${hydraValue(String(value))}`);
        break;
      case 'hydra':
        tokens.push(`+${spec.key}=${String(value)}`);
        break;
      case 'switch':
        tokens.push(`+${spec.key}=true`);
        break;
      case 'config':
        configPaths.push(...(value as string[]));
        break;
      case 'asset':
        configPaths.push(assetConfigPath(spec.asset, String(value), cwd));
        break;
      case 'own':
        break;
    }
  }
  const rest: string[] = [];
  for (const token of overrides) {
    if (token.startsWith(CONFIG_PATHS_PREFIX) && token.endsWith(']')) configPaths.push(...token.slice(CONFIG_PATHS_PREFIX.length, -1).split(',').filter((path) => path !== ''));
    else rest.push(token);
  }
  return [...(configPaths.length > 0 ? [`${CONFIG_PATHS_PREFIX}${configPaths.join(',')}]`] : []), ...tokens, ...rest];
}
