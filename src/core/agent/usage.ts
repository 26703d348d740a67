/** Sums Responses API usage objects across model calls (details included; a missing value stays missing). */
export type Usage = Record<string, unknown>;

export function addUsage(total: Usage | null, next: unknown): Usage | null {
  if (!next || typeof next !== 'object') return total;
  if (!total) return structuredClone(next as Usage);
  return sumObjects(total, next as Usage);
}

function sumObjects(a: Usage, b: Usage): Usage {
  const sum: Usage = { ...a };
  for (const [key, value] of Object.entries(b)) {
    const current = sum[key];
    if (typeof value === 'number' && typeof current === 'number') sum[key] = current + value;
    else if (value && typeof value === 'object' && current && typeof current === 'object') sum[key] = sumObjects(current as Usage, value as Usage);
    else if (current === undefined) sum[key] = value;
    else sum[key] = value === null || current === null ? null : current;
  }
  return sum;
}
