/** Number and text formatting for the viewer (the page, and the first rows the host renders into it). */
import { isPassingReward } from '../reward';

const integer = new Intl.NumberFormat('en-US');

export function fmtInt(n: number | null | undefined): string {
  return n === null || n === undefined || Number.isNaN(n) ? '—' : integer.format(Math.round(n));
}

export function fmtReward(r: number | null | undefined): string {
  if (r === null || r === undefined || Number.isNaN(r)) return '—';
  if (Number.isInteger(r)) return r.toFixed(1);
  return String(Math.round(r * 1000) / 1000);
}

/** A 0..1 fraction as a percentage. */
export function fmtPercent(v: number | null | undefined, digits = 1): string {
  return v === null || v === undefined || Number.isNaN(v) ? '—' : `${(v * 100).toFixed(digits)}%`;
}

export function fmtMean(v: number | null | undefined, digits = 3): string {
  return v === null || v === undefined || Number.isNaN(v) ? '—' : v.toFixed(digits);
}

export function fmtDelta(v: number | null | undefined): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  const sign = v > 0 ? '+' : v < 0 ? '−' : '±';
  return `${sign}${Math.abs(v).toFixed(2)}`;
}

export function fmtTokens(n: number | null | undefined): string {
  if (n === null || n === undefined || Number.isNaN(n)) return '—';
  if (n < 1000) return String(Math.round(n));
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 10_000 ? 1 : 0)}k`;
  return `${(n / 1_000_000).toFixed(n < 10_000_000 ? 2 : 1)}M`;
}

export function fmtBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} KB`;
  if (n < 1024 * 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 / 1024 / 1024).toFixed(2)} GB`;
}

export function plural(n: number, noun: string, nouns = `${noun}s`): string {
  return `${fmtInt(n)} ${n === 1 ? noun : nouns}`;
}

/** Short category label: `workplace_assistant_email` → `email`. */
export function shortCategory(category: string | null): string {
  if (category === null) return '—';
  const prefix = 'workplace_assistant_';
  return category.startsWith(prefix) ? category.slice(prefix.length).replace(/_/g, ' ') : category;
}

export function rewardClass(r: number | null): 'pass' | 'fail' | 'partial' | 'none' {
  if (r === null || Number.isNaN(r)) return 'none';
  if (isPassingReward(r)) return 'pass';
  if (r <= 0) return 'fail';
  return 'partial';
}
