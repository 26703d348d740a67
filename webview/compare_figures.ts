import type { CompareResult } from '../src/core/viewer/model';
import { h } from './dom';
import { fmtDelta, fmtInt, fmtPercent, plural } from './format';

/** The compare tab's figures over the tasks both files have: pass rates, the paired tests, the unpaired tasks. */

/** `p = 0.021`, or `p < 0.001` below what the figures can tell apart. */
export function pValueText(p: number): string {
  if (p < 0.001) return 'p < 0.001';
  return `p = ${p.toFixed(p < 0.01 ? 4 : 3)}`;
}

function signedDelta(value: number): string {
  return fmtDelta(value).replace('±0.00', '0.00');
}

export function passRates(r: CompareResult): HTMLElement | null {
  if (!r.passAt1 || !r.passAtK || r.k === null) return null;
  const row = (label: string, figure: { primary: number; compare: number }) =>
    h(
      'tr',
      null,
      h('th', { attrs: { scope: 'row' } }, label),
      h('td', { class: 'num' }, fmtPercent(figure.primary)),
      h('td', { class: 'num' }, fmtPercent(figure.compare)),
      h('td', { class: `num delta ${figure.primary < figure.compare ? 'regression' : figure.primary > figure.compare ? 'fix' : ''}` }, `${signedDelta((figure.primary - figure.compare) * 100)} pts`),
    );
  return h(
    'div',
    { class: 'compare-rates' },
    h(
      'table',
      { class: 'data-table narrow' },
      h('thead', null, h('tr', null, h('th', null, ''), h('th', { class: 'num' }, 'this file'), h('th', { class: 'num' }, 'baseline'), h('th', { class: 'num' }, 'Δ'))),
      h('tbody', null, row('pass@1', r.passAt1), row(`pass@${r.k}`, r.passAtK)),
    ),
    h('div', { class: 'muted small' }, `Over the ${plural(r.passAtK.tasks, 'task')} with at least ${r.k} scored repeats in both files (unbiased estimator per task, averaged).`),
  );
}

export function significance(r: CompareResult): HTMLElement | null {
  const s = r.significance;
  if (!s) return r.commonTasks > 0 ? h('div', { class: 'compare-significance muted small' }, 'Too few tasks in both files for a significance figure.') : null;
  const b = s.bootstrap;
  const level = `${Math.round(b.level * 100)}%`;
  const clear = b.low > 0 || b.high < 0;
  return h(
    'div',
    { class: `compare-significance${clear ? ' clear' : ''}`, dataset: { pBootstrap: String(b.pValue), pSign: String(s.signTest.pValue) } },
    h(
      'div',
      null,
      h('b', null, `Δ mean reward ${signedDelta(s.meanDelta)}`),
      `, ${level} CI `,
      h('span', { class: 'ci' }, `${signedDelta(b.low)} to ${signedDelta(b.high)}`),
      `, ${pValueText(b.pValue)}`,
      h('span', { class: 'muted' }, ` (paired bootstrap over ${plural(s.tasks, 'task')}, ${fmtInt(b.resamples)} resamples, seed ${b.seed})`),
    ),
    h(
      'div',
      null,
      `Sign test: ${fmtInt(s.signTest.improved)} better, ${fmtInt(s.signTest.worsened)} worse, ${fmtInt(s.signTest.ties)} tied, ${pValueText(s.signTest.pValue)}`,
      h('span', { class: 'muted' }, ' (exact, two-sided, ties left out)'),
    ),
    h('div', { class: 'muted small' }, clear ? `The interval excludes 0: the difference is unlikely to be chance at the ${level} level.` : 'The interval includes 0: this difference could be chance.'),
  );
}

export function onlyOneSide(r: CompareResult): HTMLElement | null {
  const a = r.counts['only-primary'];
  const b = r.counts['only-compare'];
  if (a + b === 0) return null;
  const parts = [a ? `${plural(a, 'task')} only in this file` : null, b ? `${plural(b, 'task')} only in the baseline` : null].filter(Boolean);
  return h('div', { class: 'compare-unpaired warn-text small' }, `${parts.join(', ')}: listed below, left out of the figures above.`);
}
