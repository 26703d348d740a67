import type { HistogramBin, SummaryStats } from '../src/core/viewer/model';
import { h, setChildren, type Child } from './dom';
import { fmtBytes, fmtInt, fmtMean, fmtPercent, fmtTokens, plural, shortCategory } from './format';
import type { HostConnection } from './transport';

/** The file at a glance: counts, mean reward, pass@k, per-category table, histograms, tokens, failures. */

export interface SummaryCallbacks {
  showCategory(category: string): void;
  showErrors(): void;
  showFailures(): void;
}

function card(label: string, value: string, sub: Child | Child[], kind = ''): HTMLElement {
  return h('div', { class: `card ${kind}` }, h('div', { class: 'card-label' }, label), h('div', { class: 'card-value' }, value), h('div', { class: 'card-sub' }, ...(Array.isArray(sub) ? sub : [sub])));
}

function bar(fraction: number | null, kind: string): HTMLElement {
  const value = fraction === null ? 0 : Math.max(0, Math.min(1, fraction));
  return h('span', { class: `bar ${kind}`, style: { '--fill': `${(value * 100).toFixed(1)}%` } }, h('span', { class: 'bar-fill' }));
}

function histogram(title: string, bins: HistogramBin[], kindOf: (bin: HistogramBin) => string, caption: string): HTMLElement {
  const max = bins.reduce((m, b) => Math.max(m, b.count), 0) || 1;
  const total = bins.reduce((s, b) => s + b.count, 0) || 1;
  return h(
    'div',
    { class: 'chart' },
    h('h3', { class: 'section-title' }, title),
    h(
      'div',
      { class: 'histogram', attrs: { role: 'img', 'aria-label': `${title}: ${bins.map((b) => `${b.label}: ${b.count}`).join(', ')}` } },
      ...bins.map((bin) =>
        h(
          'div',
          { class: 'hbar', title: `${bin.label}: ${fmtInt(bin.count)} (${fmtPercent(bin.count / total)})` },
          h('span', { class: 'hbar-count' }, fmtInt(bin.count)),
          h('span', { class: `hbar-fill ${kindOf(bin)}`, style: { '--h': `${((bin.count / max) * 100).toFixed(1)}%` } }),
          h('span', { class: 'hbar-label' }, bin.label),
        ),
      ),
    ),
    h('div', { class: 'chart-caption' }, caption),
  );
}

function rewardKind(bin: HistogramBin): string {
  if (bin.to <= 0) return 'fail';
  if (bin.from >= 1 - 1e-9) return 'pass';
  return 'partial';
}

export class SummaryView {
  readonly element: HTMLElement;
  private stale = true;
  private loading: Promise<void> | null = null;

  constructor(
    private readonly conn: HostConnection,
    private readonly callbacks: SummaryCallbacks,
  ) {
    this.element = h('div', { class: 'summary-view' }, h('div', { class: 'empty' }, 'Loading the summary…'));
  }

  markStale(): void {
    this.stale = true;
  }

  /** Loads when stale (first show, or new rollouts appended). */
  async refresh(force = false): Promise<void> {
    if (!this.stale && !force) return;
    if (this.loading) return this.loading;
    this.stale = false;
    this.loading = this.conn
      .request({ type: 'summary', role: 'primary' })
      .then((stats) => this.render(stats))
      .catch((error: unknown) => setChildren(this.element, h('div', { class: 'empty error-text' }, `Could not compute the summary: ${error instanceof Error ? error.message : String(error)}`)))
      .finally(() => {
        this.loading = null;
      });
    return this.loading;
  }

  private render(s: SummaryStats): void {
    const repeats = s.repeats.max > 1 ? (s.repeats.min === s.repeats.max ? ` × ${s.repeats.max} repeats` : ` × ${s.repeats.min}–${s.repeats.max} repeats`) : '';
    const passAt1 = s.passAtK.find((p) => p.k === 1);
    const higherK = s.passAtK.filter((p) => p.k > 1);
    const incomplete = s.tasks - s.completeTasks;
    const completeNote = incomplete > 0 && s.repeats.max > 1 ? ` · over the ${plural(s.completeTasks, 'task')} with all repeats (${fmtInt(incomplete)} not yet complete)` : '';
    const cards: HTMLElement[] = [
      card('Rollouts', fmtInt(s.rollouts), [`${plural(s.tasks, 'task')}${repeats}`, s.brokenLines ? h('span', { class: 'error-text' }, ` · ${plural(s.brokenLines, 'unreadable line')}`) : null], 'accent'),
      card('Mean reward', fmtMean(s.meanReward), `${fmtInt(s.passed)} of ${fmtInt(s.scored)} passed`, 'reward'),
      card('pass@1', fmtPercent(passAt1?.value ?? null), `${higherK.length ? higherK.map((p) => `pass@${p.k} ${fmtPercent(p.value)}`).join(' · ') : 'one rollout per task'}${completeNote}`),
    ];
    if (s.meanAtK) cards.push(card(`mean@${s.meanAtK.k}`, fmtMean(s.meanAtK.value), `mean of per-task means over ${plural(s.meanAtK.tasks, 'task')}`));
    cards.push(card('Turns', fmtMean(s.meanTurns, 2), 'model calls per rollout (mean)'));
    if (s.tokens) {
      cards.push(card('Tokens', fmtTokens(s.tokens.total.total), `${fmtTokens(s.tokens.input.mean)} in · ${fmtTokens(s.tokens.output.mean)} out per rollout`));
    }
    const errorCount = s.errors.responseErrors + s.errors.withToolErrors + s.errors.broken;
    const errorsCard = card(
      'Errors',
      fmtInt(errorCount),
      `${fmtInt(s.errors.withToolErrors)} with tool errors · ${fmtInt(s.errors.responseErrors)} failed responses`,
      errorCount ? 'warn clickable' : '',
    );
    if (errorCount) errorsCard.addEventListener('click', () => this.callbacks.showErrors());
    cards.push(errorsCard);
    if (s.failures) {
      const failuresCard = card('Failures', fmtInt(s.failures.total), `in ${s.failures.path.split(/[\\/]/).pop() ?? ''}`, `${s.failures.total ? 'warn ' : ''}clickable`);
      failuresCard.title = 'Show the failures';
      failuresCard.addEventListener('click', () => this.callbacks.showFailures());
      cards.push(failuresCard);
    }

    const k = s.byCategory.find((c) => c.passAtK)?.passAtK?.k ?? null;
    const categoryTable = h(
      'table',
      { class: 'data-table categories' },
      h(
        'thead',
        null,
        h('tr', null, h('th', null, 'Category'), h('th', { class: 'num' }, 'Rollouts'), h('th', { class: 'num' }, 'Tasks'), h('th', null, 'Mean reward'), k ? h('th', { class: 'num' }, `pass@${k}`) : null, h('th', { class: 'num' }, 'Turns'), h('th', { class: 'num' }, 'Errors')),
      ),
      h(
        'tbody',
        null,
        ...s.byCategory.map((c) =>
          h(
            'tr',
            { class: 'clickable', title: `Show the ${c.category} rollouts`, on: { click: () => this.callbacks.showCategory(c.category) } },
            h('td', null, h('span', { class: 'category-name' }, shortCategory(c.category))),
            h('td', { class: 'num' }, fmtInt(c.rollouts)),
            h('td', { class: 'num' }, fmtInt(c.tasks)),
            h('td', { class: 'bar-cell' }, bar(c.meanReward, 'reward'), h('span', { class: 'bar-value' }, fmtMean(c.meanReward))),
            k ? h('td', { class: 'num' }, fmtPercent(c.passAtK?.value ?? null)) : null,
            h('td', { class: 'num' }, c.meanTurns.toFixed(1)),
            h('td', { class: `num${c.withErrors ? ' warn-text' : ''}` }, fmtInt(c.withErrors)),
          ),
        ),
      ),
    );

    const duplicates = s.duplicates
      ? h(
          'div',
          { class: 'banner warn duplicates' },
          `${plural(s.duplicates.lines, 'line')} repeat a (task, repeat) pair an earlier line already has (first at line ${fmtInt(s.duplicates.firstLine)}): the file holds the same rollouts more than once, e.g. a run appended twice. The figures count every line.`,
        )
      : null;
    const sections: Child[] = [
      duplicates,
      h('div', { class: 'cards' }, ...cards),
      h('div', { class: 'summary-grid' }, h('div', { class: 'summary-block wide' }, h('h3', { class: 'section-title' }, 'By category'), categoryTable)),
      h(
        'div',
        { class: 'summary-grid' },
        h('div', { class: 'summary-block' }, histogram('Reward', s.rewardHistogram, rewardKind, `${plural(s.scored, 'scored rollout')}`)),
        h('div', { class: 'summary-block' }, histogram('Turns per rollout', s.turnsHistogram, () => 'neutral', `mean ${fmtMean(s.meanTurns, 2)} model calls`)),
      ),
    ];
    const pairs: HTMLElement[] = [];
    if (s.passAtK.length > 1) {
      pairs.push(
        h(
          'div',
          { class: 'summary-block' },
          h('h3', { class: 'section-title' }, 'pass@k'),
          h(
            'table',
            { class: 'data-table narrow' },
            h('thead', null, h('tr', null, h('th', { class: 'num' }, 'k'), h('th', { class: 'num', title: 'at least one of k samples passes (unbiased estimator)' }, 'pass@k'), h('th', { class: 'num', title: 'all k samples pass' }, 'pass^k'), h('th', { class: 'num' }, 'tasks'))),
            h(
              'tbody',
              null,
              ...s.passAtK.map((p) =>
                h('tr', null, h('td', { class: 'num' }, String(p.k)), h('td', { class: 'num' }, fmtPercent(p.value)), h('td', { class: 'num' }, fmtPercent(s.passHatK.find((q) => q.k === p.k)?.value ?? null)), h('td', { class: 'num' }, fmtInt(p.tasks))),
              ),
            ),
          ),
          h('p', { class: 'muted small' }, `pass@k = 1 − C(n−c, k) / C(n, k) per task, averaged over the tasks with all their repeats (${fmtInt(s.completeTasks)} of ${fmtInt(s.tasks)}), so every k uses the same tasks; pass^k = C(c, k) / C(n, k).`),
        ),
      );
    }
    if (s.tokens) {
      const t = s.tokens;
      pairs.push(
        h(
          'div',
          { class: 'summary-block' },
          h('h3', { class: 'section-title' }, 'Token usage'),
          h(
            'table',
            { class: 'data-table narrow' },
            h('thead', null, h('tr', null, h('th', null, ''), h('th', { class: 'num' }, 'total'), h('th', { class: 'num' }, 'mean'), h('th', { class: 'num' }, 'max'))),
            h(
              'tbody',
              null,
              ...(['input', 'output', 'total'] as const).map((key) => h('tr', null, h('td', null, key), h('td', { class: 'num' }, fmtInt(t[key].total)), h('td', { class: 'num' }, fmtInt(t[key].mean)), h('td', { class: 'num' }, fmtInt(t[key].max)))),
            ),
          ),
          h('p', { class: 'muted small' }, `From response.usage of ${plural(t.rollouts, 'rollout')}. Older collectors recorded only the last model call's usage.`),
        ),
      );
    }
    if (pairs.length) sections.push(h('div', { class: 'summary-grid' }, ...pairs));
    if (s.failures) {
      const f = s.failures;
      sections.push(
        h(
          'div',
          { class: 'summary-block wide' },
          h('h3', { class: 'section-title' }, `Failures (${fmtInt(f.total)})`),
          h(
            'table',
            { class: 'data-table narrow' },
            h('thead', null, h('tr', null, h('th', null, 'class'), h('th', { class: 'num' }, 'count'), h('th', { class: 'num' }, 'terminal'))),
            h('tbody', null, ...f.byClass.map((c) => h('tr', null, h('td', null, c.failureClass), h('td', { class: 'num' }, fmtInt(c.count)), h('td', { class: 'num' }, fmtInt(c.terminal))))),
          ),
          f.examples.length
            ? h(
                'table',
                { class: 'data-table failures' },
                h('thead', null, h('tr', null, h('th', { class: 'num' }, 'task'), h('th', { class: 'num' }, 'repeat'), h('th', null, 'class'), h('th', null, 'message'))),
                h(
                  'tbody',
                  null,
                  ...f.examples.slice(0, 50).map((e) => h('tr', null, h('td', { class: 'num' }, String(e.taskIndex ?? '—')), h('td', { class: 'num' }, String(e.rolloutIndex ?? '—')), h('td', null, e.failureClass), h('td', { class: 'message' }, e.message))),
                ),
              )
            : null,
          f.unreadable ? h('p', { class: 'muted small' }, `${plural(f.unreadable, 'line')} of the sidecar could not be read.`) : null,
        ),
      );
    }
    if (s.aggregateMetrics) {
      sections.push(
        h(
          'div',
          { class: 'summary-block wide' },
          h('h3', { class: 'section-title' }, 'Aggregate metrics (from the collector)'),
          ...s.aggregateMetrics.agents.map((agent) =>
            h(
              'table',
              { class: 'data-table narrow' },
              h('thead', null, h('tr', null, h('th', null, agent.agent), h('th', { class: 'num' }, 'value'))),
              h('tbody', null, ...agent.keyMetrics.map((m) => h('tr', null, h('td', null, m.name), h('td', { class: 'num' }, typeof m.value === 'number' ? String(Math.round(m.value * 10000) / 10000) : m.value)))),
            ),
          ),
        ),
      );
    }
    sections.push(
      h(
        'p',
        { class: 'muted small file-note' },
        `${s.file.path} · ${fmtBytes(s.file.bytes)}`,
        s.file.inputPath ? ` · ground truth joined from ${s.file.inputPath}` : '',
        s.agents.length ? ` · agents: ${s.agents.join(', ')}` : '',
      ),
    );
    setChildren(this.element, ...sections);
    this.element.dataset.rollouts = String(s.rollouts);
  }
}
