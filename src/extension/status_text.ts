/** The status bar item's text: the running collection's progress if there is one, else the servers' state. */
import type { ServersStatus } from '../host/protocol';
import type { HostState } from './host/host_supervisor';
import type { RunRecord } from './runs/run_record';
import { basenameOf, formatDuration } from './trees/format';
import { describeTotals } from './trees/runs_model';

export interface StatusBarView {
  text: string;
  tooltip: string;
  /** Draws attention (error background) when something died. */
  alert: boolean;
}

export function statusBarView(host: HostState, servers: ServersStatus | null, runs: readonly RunRecord[], externalHeadServerUrl: string): StatusBarView {
  const running = runs.filter((run) => run.status === 'running');
  if (running.length > 0) {
    const run = running[0]!;
    const totals = run.totals;
    const more = running.length > 1 ? ` (+${running.length - 1} more)` : '';
    // The same figures as the run's line in the Runs view (describeTotals), without the timing.
    return {
      text: `$(sync~spin) Rollouts ${describeTotals(totals, true, { timing: false })}${more}`,
      tooltip: `Collecting ${basenameOf(run.inputPath)} → ${basenameOf(run.outputPath)}\nelapsed ${formatDuration(totals?.elapsedSeconds ?? null)}, ETA ${formatDuration(totals?.etaSeconds ?? null)}\nClick to show the Runs view.`,
      alert: false,
    };
  }
  if (externalHeadServerUrl) {
    return { text: '$(remote) Gym: external', tooltip: `Using the deployment at ${externalHeadServerUrl}\nClick to show the Runs view.`, alert: false };
  }
  if (host.kind === 'crashed' && !host.restarting) {
    return { text: '$(error) Gym: host stopped', tooltip: 'The host process stopped unexpectedly; see the Servers view.\nClick to show the Runs view.', alert: true };
  }
  const state = host.kind === 'running' ? (servers?.state ?? 'stopped') : host.kind === 'crashed' ? 'restarting' : host.kind === 'starting' ? 'starting' : 'stopped';
  const icon = state === 'running' ? '$(server-process)' : state === 'failed' ? '$(error)' : state === 'starting' || state === 'restarting' ? '$(loading~spin)' : '$(circle-slash)';
  return { text: `${icon} Gym: servers ${state}`, tooltip: `Gym Rollouts servers: ${state}\nClick to show the Runs view.`, alert: state === 'failed' };
}
