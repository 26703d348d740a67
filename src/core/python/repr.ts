/**
 * Python `repr()` / `str()` / `type(v).__name__` for the value model, as CPython 3.13 prints them.
 *
 * Floats: CPython's `float.__repr__` is the shortest string that round-trips (David Gay's algorithm in
 * mode 0), printed in fixed notation when the decimal exponent is in [-4, 16) and in scientific notation
 * otherwise, with at least two exponent digits (`1e+16`, `1e-05`) and `.0` added to integral values.
 * JavaScript's `Number.prototype.toExponential()` without an argument yields the same shortest digits, so
 * only the layout is re-done here.
 */
import { PyFloat, PyException, isPyDict, type PyValue } from './value';

/** `type(v).__name__` for a value of the model. */
export function pyTypeName(v: PyValue): string {
  if (v === null) return 'NoneType';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number' || typeof v === 'bigint') return 'int';
  if (typeof v === 'string') return 'str';
  if (v instanceof PyFloat) return 'float';
  if (Array.isArray(v)) return 'list';
  if (isPyDict(v)) return 'dict';
  throw new PyException('TypeError', 'unsupported value');
}

/**
 * Shortest round-trip decimal digits of a finite, non-zero |x|, and the decimal exponent of the first digit:
 * x = 0.d1d2d3... * 10^(exp+1), i.e. d1.d2d3... * 10^exp.
 */
export function shortestDigits(x: number): { digits: string; exp: number } {
  const s = Math.abs(x).toExponential(); // e.g. "1.2345e+2", "5e-324"
  const e = s.indexOf('e');
  const mantissa = s.slice(0, e);
  const exp = Number(s.slice(e + 1));
  const digits = mantissa.length > 1 ? mantissa[0] + mantissa.slice(2) : mantissa;
  return { digits, exp };
}

/** Python `repr(float)`: `1.0`, `0.1`, `1e+16`, `1e-05`, `inf`, `-inf`, `nan`, `-0.0`. */
export function pyFloatRepr(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (n === Infinity) return 'inf';
  if (n === -Infinity) return '-inf';
  if (n === 0) return Object.is(n, -0) ? '-0.0' : '0.0';
  const sign = n < 0 ? '-' : '';
  const { digits, exp } = shortestDigits(n);
  const nd = digits.length;
  if (exp < -4 || exp >= 16) {
    // Scientific: d[.ddd]e±XX (at least two exponent digits).
    const mant = nd > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const absExp = Math.abs(exp);
    return `${sign}${mant}e${exp < 0 ? '-' : '+'}${absExp < 10 ? '0' : ''}${absExp}`;
  }
  const decpt = exp + 1; // position of the decimal point relative to the first digit
  if (decpt <= 0) return `${sign}0.${'0'.repeat(-decpt)}${digits}`;
  if (decpt >= nd) return `${sign}${digits}${'0'.repeat(decpt - nd)}.0`;
  return `${sign}${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
}

// Python str.isprintable(): false for Cc, Cf, Cs, Co, Cn, Zl, Zp and Zs other than U+0020.
const NON_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

/** Whether a code point is printable in the sense of Python's `str.isprintable()` (Unicode data of this runtime). */
export function isPrintableCodePoint(cp: number): boolean {
  if (cp === 0x20) return true;
  if (cp < 0x7f) return cp > 0x20;
  return !NON_PRINTABLE.test(String.fromCodePoint(cp));
}

function hex(cp: number, width: number): string {
  return cp.toString(16).padStart(width, '0');
}

/** Python `repr(str)`, including the choice of quotes and the escaping of non-printable characters. */
export function pyStrRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  let plainStart = 0;
  let i = 0;
  const flushTo = (end: number): void => {
    if (end > plainStart) out += s.slice(plainStart, end);
  };
  while (i < s.length) {
    const cp = s.codePointAt(i) as number;
    const width = cp > 0xffff ? 2 : 1;
    let esc: string | null = null;
    if (cp === quote.charCodeAt(0) || cp === 0x5c) esc = `\\${String.fromCharCode(cp)}`;
    else if (cp === 0x09) esc = '\\t';
    else if (cp === 0x0a) esc = '\\n';
    else if (cp === 0x0d) esc = '\\r';
    else if (cp < 0x20 || cp === 0x7f) esc = `\\x${hex(cp, 2)}`;
    else if (cp >= 0x80 && !isPrintableCodePoint(cp)) {
      if (cp <= 0xff) esc = `\\x${hex(cp, 2)}`;
      else if (cp <= 0xffff) esc = `\\u${hex(cp, 4)}`;
      else esc = `\\U${hex(cp, 8)}`;
    }
    if (esc !== null) {
      flushTo(i);
      out += esc;
      plainStart = i + width;
    }
    i += width;
  }
  flushTo(s.length);
  return out + quote;
}

function intRepr(v: number | bigint): string {
  if (typeof v === 'bigint') return v.toString();
  // Safe integers print exactly; -0 cannot be a Python int.
  return Object.is(v, -0) ? '0' : String(v);
}

function scalarRepr(v: PyValue): string {
  if (v === null) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'number' || typeof v === 'bigint') return intRepr(v);
  if (typeof v === 'string') return pyStrRepr(v);
  if (v instanceof PyFloat) return pyFloatRepr(v.value);
  throw new PyException('TypeError', 'unsupported value');
}

/**
 * Python `repr(v)`. Iterative: a model may send lists nested thousands deep, which CPython 3.13 still prints
 * (its repr recursion is bounded by the C stack, deeper than any JSON body it accepts).
 */
class ReprText {
  constructor(readonly text: string) {}
}

export function pyRepr(v: PyValue): string {
  if (!Array.isArray(v) && !isPyDict(v)) return scalarRepr(v);
  const out: string[] = [];
  const stack: Array<PyValue | ReprText> = [v];
  while (stack.length > 0) {
    const task = stack.pop() as PyValue | ReprText;
    if (task instanceof ReprText) {
      out.push(task.text);
    } else if (Array.isArray(task)) {
      out.push('[');
      stack.push(new ReprText(']'));
      for (let i = task.length - 1; i >= 0; i--) {
        stack.push(task[i] as PyValue);
        if (i > 0) stack.push(new ReprText(', '));
      }
    } else if (isPyDict(task)) {
      out.push('{');
      stack.push(new ReprText('}'));
      const entries = [...task];
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, value] = entries[i] as [string, PyValue];
        stack.push(value, new ReprText(`${pyStrRepr(key)}: `));
        if (i > 0) stack.push(new ReprText(', '));
      }
    } else {
      out.push(scalarRepr(task));
    }
  }
  return out.join('');
}

/** Python `str(v)`: strings as they are, everything else as its repr (containers use the reprs of items). */
export function pyStr(v: PyValue): string {
  return typeof v === 'string' ? v : pyRepr(v);
}
