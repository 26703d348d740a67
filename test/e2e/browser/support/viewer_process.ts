import { runNgViewer } from '../../../../src/cli/commands/ng_viewer';

/** The real `ng_viewer` command, run in-process (as the CLI dispatcher will call it) until stopped. */
export interface RunningViewer {
  url: string;
  /** Origin without the token. */
  base: string;
  output: string[];
  stop(): Promise<number>;
}

export async function startNgViewer(argv: string[], cwd: string): Promise<RunningViewer> {
  const controller = new AbortController();
  const output: string[] = [];
  let url = '';
  const exit = runNgViewer([...argv, '--no-open'], {
    cwd,
    signal: controller.signal,
    stdout: (s) => {
      output.push(s);
      url ||= /http:\/\/127\.0\.0\.1:\d+\/\?token=\S+/.exec(s)?.[0] ?? '';
    },
    stderr: (s) => output.push(s),
  });
  const deadline = Date.now() + 30_000;
  while (!url) {
    const early = await Promise.race([exit, new Promise<null>((r) => setTimeout(() => r(null), 25))]);
    if (early !== null) throw new Error(`ng_viewer exited with ${early}: ${output.join('')}`);
    if (Date.now() > deadline) throw new Error(`ng_viewer printed no address: ${output.join('')}`);
  }
  const parsed = new URL(url);
  return {
    url,
    base: `${parsed.protocol}//${parsed.host}`,
    output,
    stop: async () => {
      controller.abort();
      return exit;
    },
  };
}
