/** A list of entries as [first, count] runs of consecutive numbers: a whole file in file order is one run. */

export function entryRuns(entries: readonly number[]): [number, number][] {
  const runs: [number, number][] = [];
  for (const entry of entries) {
    const last = runs.at(-1);
    if (last && last[0] + last[1] === entry) last[1]++;
    else runs.push([entry, 1]);
  }
  return runs;
}

export function entriesFromRuns(runs: readonly (readonly [number, number])[]): number[] {
  const entries: number[] = [];
  for (const [first, count] of runs) for (let k = 0; k < count; k++) entries.push(first + k);
  return entries;
}
