/**
 * A stand-in for the API VS Code gives a webview, for a page served by ng_viewer: `acquireVsCodeApi()` relays
 * the page's messages to the ng_viewer host (as the extension relays them to its session) and keeps
 * getState/setState across reloads, as VS Code does when a hidden webview is shown again. Passed to
 * `page.addInitScript`, so it must stay self-contained.
 */
export function installFakeVsCodeApi(): void {
  const token = new URLSearchParams(location.search).get('token') ?? '';
  const stateKey = 'fake-vscode-webview-state';
  const deliver = (message: unknown) => window.dispatchEvent(new MessageEvent('message', { data: message }));
  const events = new EventSource(`/api/events?token=${encodeURIComponent(token)}`);
  events.onmessage = (m) => deliver(JSON.parse(m.data as string));
  const sent: unknown[] = [];
  // A message channel, as VS Code's is: one socket to the host, messages queued until it opens (POST if it cannot).
  const post = (message: unknown) =>
    void fetch('/api/request', { method: 'POST', headers: { 'x-viewer-token': token }, body: JSON.stringify(message) })
      .then((r) => r.json())
      .then(deliver);
  let queue: unknown[] | null = [];
  const socket = new WebSocket(`ws://${location.host}/api/socket?token=${encodeURIComponent(token)}`);
  socket.onmessage = (m) => deliver(JSON.parse(m.data as string));
  socket.onopen = () => {
    for (const message of queue ?? []) socket.send(JSON.stringify(message));
    queue = null;
  };
  socket.onclose = () => {
    for (const message of queue ?? []) post(message);
    queue = null;
  };
  Object.assign(window, {
    __sentToHost: sent,
    acquireVsCodeApi: () => ({
      postMessage(message: unknown) {
        sent.push(message);
        if (queue) queue.push(message);
        else if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
        else post(message);
      },
      getState: () => JSON.parse(sessionStorage.getItem(stateKey) ?? 'null') as unknown,
      setState: (state: unknown) => sessionStorage.setItem(stateKey, JSON.stringify(state)),
    }),
  });
}
