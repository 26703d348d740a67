import { VIEWER_TABS, type ViewerTab } from '../src/core/viewer/protocol';

/**
 * The viewer's address fragment: `#rollout=<entry>` or `#rollout=<task>:<repeat>` (task index and repeat, as
 * `_ng_task_index` and `_ng_rollout_index` say), optionally `&turn=<n>`, and `#tab=<tab>`. ng_viewer keeps it
 * up to date while you read, so the address bar is always a link to what is on screen.
 */
export interface DeepLink {
  rollout?: { entry: number } | { taskIndex: number; rolloutIndex: number | null };
  turn?: number | null;
  tab?: ViewerTab;
}

const NUMBER = /^\d{1,9}$/;

export function parseDeepLink(hash: string): DeepLink | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const link: DeepLink = {};
  const rollout = params.get('rollout');
  if (rollout !== null) {
    const [task, repeat, ...rest] = rollout.split(':');
    if (rest.length === 0 && task !== undefined && NUMBER.test(task)) {
      if (repeat === undefined) link.rollout = { entry: Number(task) };
      else if (repeat === '' || NUMBER.test(repeat)) link.rollout = { taskIndex: Number(task), rolloutIndex: repeat === '' ? null : Number(repeat) };
    }
  }
  const turn = params.get('turn');
  link.turn = turn !== null && NUMBER.test(turn) ? Number(turn) : null;
  const tab = params.get('tab');
  if (tab !== null && (VIEWER_TABS as readonly string[]).includes(tab)) link.tab = tab as ViewerTab;
  return link.rollout || link.tab ? link : null;
}

export function formatDeepLink(link: DeepLink): string {
  const parts: string[] = [];
  const rollout = link.rollout;
  if (rollout) parts.push(`rollout=${'entry' in rollout ? rollout.entry : `${rollout.taskIndex}:${rollout.rolloutIndex ?? ''}`}`);
  if (link.turn !== null && link.turn !== undefined) parts.push(`turn=${link.turn}`);
  if (link.tab) parts.push(`tab=${link.tab}`);
  return parts.length ? `#${parts.join('&')}` : '';
}
