/** What the editor says when a collection ends: how it ended, in figures, and what to do next. Editor-free. */
import { formatDuration, formatReward } from '../trees/format';
import { runOutcome, type RunRecord } from './run_record';

export type AnnouncementAction = 'Open in Viewer' | 'Show Failures' | 'Resume' | 'Show Logs';

export interface Announcement {
  severity: 'info' | 'warning' | 'error';
  message: string;
  actions: AnnouncementAction[];
}

export function finishedAnnouncement(record: RunRecord, outputName: string): Announcement {
  const totals = record.totals;
  const retries = totals && totals.retries > 0 ? `, ${totals.retries} ${totals.retries === 1 ? 'retry' : 'retries'}` : '';
  const time = totals ? ` in ${formatDuration(totals.elapsedSeconds)}` : '';
  switch (runOutcome(record)) {
    case 'clean':
      return {
        severity: 'info',
        message: `Collected ${totals?.done ?? 0}/${totals?.total ?? 0} rollouts into ${outputName}${time}: mean reward ${formatReward(totals?.meanReward ?? null)}${retries}.`,
        actions: ['Open in Viewer'],
      };
    case 'with-failures':
      return {
        severity: 'warning',
        message:
          `Collected ${outputName} with failures: ${totals!.done} written, ${totals!.failed} failed of ${totals!.total}${retries}. ` +
          `Mean reward ${formatReward(totals!.meanReward)} over written rollouts, ${formatReward(totals!.meanRewardOverAttempted)} over all (failures as 0).`,
        actions: ['Show Failures', 'Open in Viewer', 'Resume'],
      };
    case 'failed':
      return { severity: 'error', message: `The collection into ${outputName} failed: ${record.error ?? 'unknown error'}`, actions: ['Show Logs'] };
    default: {
      const collected = totals ? ` ${totals.done + totals.failed} of ${totals.total} rollouts are accounted for;` : '';
      if (record.status === 'stopped') {
        return { severity: 'error', message: `The collection into ${outputName} STOPPED:${collected} ${record.error ?? ''}`.trim(), actions: ['Show Failures', 'Resume', 'Show Logs'] };
      }
      return { severity: 'info', message: `The collection into ${outputName} was ${record.status}.${collected} resume it to collect the rest.`, actions: ['Resume', 'Open in Viewer'] };
    }
  }
}
