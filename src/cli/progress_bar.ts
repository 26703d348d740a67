import type { CollectionProgress } from '../core/collect/api';

/** Renders collection progress on a terminal: one rewritten line on a TTY, a line every few seconds otherwise. */
export class ProgressBar {
  private lastPlainLine = 0;
  private lastText = '';

  constructor(
    private readonly write: (text: string) => void,
    private readonly isTTY: boolean,
    private readonly width = 28,
  ) {}

  update(progress: CollectionProgress, now = Date.now()): void {
    const text = formatProgress(progress, this.width);
    if (this.isTTY) {
      if (text !== this.lastText) this.write(`\r\x1b[2K${text}`);
    } else if (now - this.lastPlainLine >= 5_000 || progress.done + progress.failed === progress.total) {
      this.write(`${text}\n`);
      this.lastPlainLine = now;
    }
    this.lastText = text;
  }

  finish(): void {
    if (this.isTTY && this.lastText) this.write('\n');
  }
}

export function formatProgress(progress: CollectionProgress, width = 28): string {
  const finished = progress.done + progress.failed;
  const fraction = progress.total === 0 ? 1 : finished / progress.total;
  const filled = Math.round(fraction * width);
  const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
  const parts = [
    `${bar} ${finished}/${progress.total}`,
    `${progress.rolloutsPerSecond.toFixed(progress.rolloutsPerSecond >= 10 ? 0 : 2)}/s`,
    `ETA ${formatDuration(progress.etaSeconds)}`,
    `mean reward ${progress.meanReward === null ? '–' : progress.meanReward.toFixed(3)}`,
    `failures ${progress.failed}`,
  ];
  for (const role of ['policy', 'environment'] as const) {
    const endpoints = (progress.endpoints ?? []).filter((endpoint) => endpoint.role === role);
    if (endpoints.length === 0) continue;
    const up = endpoints.filter((endpoint) => endpoint.healthy).length;
    const errors = endpoints.reduce((sum, endpoint) => sum + endpoint.errors, 0);
    parts.push(`${role === 'policy' ? 'endpoints' : 'hosts'} ${up}/${endpoints.length} up (${endpoints.map((endpoint) => endpoint.inFlight).join('/')} in flight${errors > 0 ? `, ${errors} errors` : ''})`);
  }
  return parts.join(' │ ');
}

export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '–';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')}` : `${m}:${String(sec).padStart(2, '0')}`;
}
