/** The contract of the embedded servers (what `ng_run` starts), shared by the CLI and the editor's host. */
export type ServerKind = 'head' | 'responses_api_models' | 'resources_servers' | 'responses_api_agents';

export type ServerState = 'starting' | 'ready' | 'stopping' | 'stopped' | 'failed';

export interface ServerInfo {
  name: string;
  kind: ServerKind;
  /** The implementation key, e.g. `openai_model`, `workplace_assistant`, `simple_agent`. */
  implementation: string;
  url: string;
  state: ServerState;
}

export interface EmbeddedServersOptions {
  /** Hydra-style arguments exactly as `ng_run` takes them (`+config_paths=[...]`, `+key=value`). */
  argv: string[];
  cwd: string;
  /** Environment for `${oc.env:...}` and API keys; never logged. */
  env: Record<string, string | undefined>;
  /** Top-level options the calling command reads itself (so they are not reported as misspelt). */
  extraOptionKeys?: string[];
  /**
   * What to do when a policy endpoint fails the start-up check (see endpoint_check.ts): a rejected key or an
   * unknown model always stops the start; an unreachable endpoint stops it only when `strict` (a collection
   * about to send requests), else it is a notice (the endpoint may still be starting). `+skip_endpoint_check=true`
   * turns the check off. Default `lenient`.
   */
  endpointCheck?: 'strict' | 'lenient';
}

export interface RunningServers {
  headServerUrl: string;
  servers: ServerInfo[];
  /** Where the workplace tables were found. */
  dataDirectory: string | null;
  /** Policy endpoint in use (never the key). */
  policyBaseUrl: string | null;
  policyModelName: string | null;
  /** Things the user should know, e.g. a server that was left out because its peer is not configured. */
  notices?: string[];
  stop(): Promise<void>;
}
