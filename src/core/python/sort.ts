/**
 * numpy's `argsort(kind='quicksort')` for datetime64/timedelta64 data (numpy/_core/src/npysort/quicksort.cpp,
 * `aquicksort_` + `aheapsort_`; these dtypes are never dispatched to the SIMD sorts) and the order pandas
 * derives from it for `sort_values(ascending=False, kind='quicksort')` (pandas.core.sorting.nargsort).
 *
 * The introsort: a depth budget of 2·floor(log2 n); partitions of more than 16 elements are split around a
 * median-of-three pivot (unstable), smaller ones are finished by insertion sort (stable), and a partition
 * popped from the stack after the budget went negative is heap-sorted.
 * Keys are compared with `<` only; NaN keys are not supported (pandas masks NaT before sorting).
 */

const SMALL_QUICKSORT = 15;

function msb(n: number): number {
  let depth = 0;
  while ((n >>>= 1) > 0) depth++;
  return depth;
}

/** numpy `aheapsort_` on tosort[lo..lo+n-1]. */
function aheapsort(v: ArrayLike<number>, tosort: number[], lo: number, n: number): void {
  // 1-based heap indexing: a[k] is tosort[lo + k - 1]
  const base = lo - 1;
  let i: number;
  let j: number;
  let tmp: number;
  for (let l = n >> 1; l > 0; --l) {
    tmp = tosort[base + l] as number;
    for (i = l, j = l << 1; j <= n; ) {
      if (j < n && (v[tosort[base + j] as number] as number) < (v[tosort[base + j + 1] as number] as number)) j += 1;
      if ((v[tmp] as number) < (v[tosort[base + j] as number] as number)) {
        tosort[base + i] = tosort[base + j] as number;
        i = j;
        j += j;
      } else break;
    }
    tosort[base + i] = tmp;
  }
  for (; n > 1; ) {
    tmp = tosort[base + n] as number;
    tosort[base + n] = tosort[base + 1] as number;
    n -= 1;
    for (i = 1, j = 2; j <= n; ) {
      if (j < n && (v[tosort[base + j] as number] as number) < (v[tosort[base + j + 1] as number] as number)) j++;
      if ((v[tmp] as number) < (v[tosort[base + j] as number] as number)) {
        tosort[base + i] = tosort[base + j] as number;
        i = j;
        j += j;
      } else break;
    }
    tosort[base + i] = tmp;
  }
}

/** `np.argsort(keys, kind='quicksort')` for datetime64/timedelta64 keys, as positions 0..n-1. */
export function numpyQuicksortArgsort(keys: ArrayLike<number>): number[] {
  const num = keys.length;
  const v = keys;
  const tosort: number[] = Array.from({ length: num }, (_, i) => i);
  if (num < 2) return tosort;
  const stack: number[] = [];
  const depthStack: number[] = [];
  let pl = 0;
  let pr = num - 1;
  let cdepth = msb(num) * 2;
  const val = (p: number): number => v[tosort[p] as number] as number;
  const swap = (a: number, b: number): void => {
    const t = tosort[a] as number;
    tosort[a] = tosort[b] as number;
    tosort[b] = t;
  };
  for (;;) {
    if (cdepth < 0) {
      aheapsort(v, tosort, pl, pr - pl + 1);
    } else {
      while (pr - pl > SMALL_QUICKSORT) {
        const pm = pl + ((pr - pl) >> 1);
        if (val(pm) < val(pl)) swap(pm, pl);
        if (val(pr) < val(pm)) swap(pr, pm);
        if (val(pm) < val(pl)) swap(pm, pl);
        const vp = val(pm);
        let pi = pl;
        let pj = pr - 1;
        swap(pm, pj);
        for (;;) {
          do ++pi;
          while (val(pi) < vp);
          do --pj;
          while (vp < val(pj));
          if (pi >= pj) break;
          swap(pi, pj);
        }
        const pk = pr - 1;
        swap(pi, pk);
        // push the larger partition on the stack, continue with the smaller one
        if (pi - pl < pr - pi) {
          stack.push(pi + 1, pr);
          pr = pi - 1;
        } else {
          stack.push(pl, pi - 1);
          pl = pi + 1;
        }
        depthStack.push(--cdepth);
      }
      // insertion sort
      for (let pi = pl + 1; pi <= pr; ++pi) {
        const vi = tosort[pi] as number;
        const vpv = v[vi] as number;
        let pj = pi;
        let pk = pi - 1;
        while (pj > pl && vpv < (v[tosort[pk] as number] as number)) {
          tosort[pj--] = tosort[pk--] as number;
        }
        tosort[pj] = vi;
      }
    }
    if (stack.length === 0) break;
    pr = stack.pop() as number;
    pl = stack.pop() as number;
    cdepth = depthStack.pop() as number;
  }
  return tosort;
}

/**
 * Row order of pandas `sort_values(ascending=False, kind='quicksort')` on a datetime column without NaT:
 * argsort the reversed keys, map back to original positions, and reverse that.
 */
export function pandasSortDescendingQuicksortOrder(keys: ArrayLike<number>): number[] {
  const n = keys.length;
  const reversed = new Float64Array(n);
  for (let i = 0; i < n; i++) reversed[i] = keys[n - 1 - i] as number;
  const order = numpyQuicksortArgsort(reversed);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = n - 1 - (order[n - 1 - i] as number);
  return out;
}
