import { entriesOf, isConfigDict, type ConfigValue } from './value.js';

/**
 * Python's `repr(float)`: the shortest digits that round-trip (as JS), laid out the Python way — `1.0`, `0.001`,
 * `1e-05`, `1e+16`, `inf`, `nan`.
 */
export function pyFloatRepr(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const [mantissa = '', exponentText = '0'] = value.toExponential().split('e');
  const exponent = Number(exponentText);
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  const sign = negative ? '-' : '';
  if (exponent >= -4 && exponent < 16) {
    if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
    const integerDigits = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
    const fraction = digits.slice(exponent + 1);
    return `${sign}${integerDigits}.${fraction === '' ? '0' : fraction}`;
  }
  const head = digits.slice(0, 1);
  const tail = digits.slice(1);
  const exponentSign = exponent < 0 ? '-' : '+';
  return `${sign}${head}${tail === '' ? '' : `.${tail}`}e${exponentSign}${String(Math.abs(exponent)).padStart(2, '0')}`;
}

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
