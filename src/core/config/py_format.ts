import { pyFloatRepr } from '../python/repr';
import { entriesOf, isConfigDict, type ConfigValue } from './value.js';

export { pyFloatRepr } from '../python/repr';

/**
 * Python's `str()` of a config value, which is what OmegaConf puts in place of an interpolation inside a longer
 * string (`http://${host}:${port}`). JS numbers do not remember int versus float: integral values print as
 * ints.
 */
export function pyStr(value: ConfigValue): string {
  if (typeof value === 'string') return value;
  return pyRepr(value);
}

function pyRepr(value: ConfigValue): string {
  if (value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : pyFloatRepr(value);
  if (typeof value === 'string') return pyStringRepr(value);
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
  if (isConfigDict(value)) {
    return `{${entriesOf(value)
      .map(([key, item]) => `${pyStringRepr(key)}: ${pyRepr(item)}`)
      .join(', ')}}`;
  }
  return String(value);
}

function pyStringRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  const escaped = text
    .replace(/\\/g, '\\\\')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t')
    .replace(new RegExp(quote, 'g'), `\\${quote}`);
  return `${quote}${escaped}${quote}`;
}
