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
  let announced: (url: string) => void = () => undefined;
  const address = new Promise<string>((resolve) => (announced = resolve));
  const exit = runNgViewer([...argv, '--no-open'], {
    cwd,
    signal: controller.signal,
    stdout: (s) => {
      output.push(s);
      const found = /http:\/\/127\.0\.0\.1:\d+\/\?token=\S+/.exec(s)?.[0];
      if (found) announced(found);
    },
    stderr: (s) => output.push(s),
  });
  // The address line, or the exit that came first; the test's own timeout bounds the wait.
  const first = await Promise.race([address, exit.then((code) => ({ exitCode: code }))]);
  if (typeof first !== 'string') throw new Error(`ng_viewer exited with ${first.exitCode}: ${output.join('')}`);
  const url = first;
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
