import { readFileSync } from 'node:fs';
import { parseDocument, stringify, type ScalarTag, type Tags } from 'yaml';
import { ConfigError } from './errors.js';
import { isConfigDict, toConfigValue, type ConfigDict, type ConfigValue } from './value.js';

/**
 * YAML as NeMo Gym reads it. OmegaConf loads YAML with PyYAML (YAML 1.1): `yes`/`no`/`on`/`off` are booleans,
 * `010` is octal, `1_000` is an int, `<<` merges — but, unlike the `yaml` package's 1.1 schema, `y`/`n` stay
 * strings (PyYAML never treated them as booleans) and dates stay strings (OmegaConf removes PyYAML's timestamp
 * resolver). Duplicate keys are an error, as in OmegaConf.
 *
 * Writing uses the same schema (plus PyYAML's timestamps), so any string PyYAML would read back as something else
 * (`yes`, `1_000`, `010`, `2024-01-01`, `null`) is quoted and a Python peer reads exactly the value we hold.
 */
const PYYAML_TRUE = /^(?:[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/;
const PYYAML_BOOL = /^(?:[Yy]es|YES|[Nn]o|NO|[Tt]rue|TRUE|[Ff]alse|FALSE|[Oo]n|ON|[Oo]ff|OFF)$/;

const pyYamlBool: ScalarTag = {
  tag: 'tag:yaml.org,2002:bool',
  default: true,
  identify: (value) => typeof value === 'boolean',
  test: PYYAML_BOOL,
  resolve: (text) => PYYAML_TRUE.test(text),
  stringify: ({ value }) => (value ? 'true' : 'false'),
};

function withoutTags(tags: Tags, dropped: readonly string[]): Tags {
  return tags.filter((tag) => !dropped.includes(typeof tag === 'string' ? tag : tag.tag));
}

const READ_OPTIONS = {
  version: '1.1',
  customTags: (tags: Tags): Tags => [pyYamlBool, ...withoutTags(tags, ['tag:yaml.org,2002:bool', 'tag:yaml.org,2002:timestamp'])],
} as const;

// Writing keeps the timestamp tag so that date-like strings are quoted for plain yaml.safe_load readers.
const WRITE_OPTIONS = {
  version: '1.1',
  customTags: (tags: Tags): Tags => [pyYamlBool, ...withoutTags(tags, ['tag:yaml.org,2002:bool'])],
} as const;

/** Parses YAML text whose top level must be a mapping (an empty document is an empty mapping). */
export function parseConfigYaml(text: string, source: string): ConfigDict {
  const document = parseDocument(text, READ_OPTIONS);
  const [error] = document.errors;
  if (error !== undefined) {
    const position = error.linePos?.[0];
    const location = position === undefined ? '' : ` at line ${position.line}, column ${position.col}`;
    const problem = (error.message.split('\n')[0] ?? error.message).replace(/ at line \d+, column \d+:?$/, '');
    throw new ConfigError('config-file', `Malformed YAML in '${source}'${location}: ${problem}`);
  }
  const value = toConfigValue(document.toJS({ maxAliasCount: 1000 }), source);
  if (value === null) return {};
  if (!isConfigDict(value)) {
    throw new ConfigError('config-file', `'${source}' must hold a mapping of keys to values at the top level, not ${Array.isArray(value) ? 'a list' : 'a single value'}.`);
  }
  return value;
}

/** Reads and parses a YAML config file; a missing or unreadable file is a ConfigError naming it. */
export function readConfigYamlFile(path: string): ConfigDict {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = error instanceof Error && 'code' in error ? String(error.code) : String(error);
    throw new ConfigError('config-file', `Cannot read '${path}' (${reason}).`);
  }
  return parseConfigYaml(text, path);
}

/** YAML in block style, keys in their order, long strings unfolded; readable by PyYAML and by us. */
export function stringifyConfigYaml(value: ConfigValue): string {
  return stringify(value, { ...WRITE_OPTIONS, lineWidth: 0 });
}
