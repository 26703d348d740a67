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
}

export interface RunningServers {
  headServerUrl: string;
  servers: ServerInfo[];
  /** Where the workplace tables were found. */
  dataDirectory: string | null;
  /** Policy endpoint in use (never the key). */
  policyBaseUrl: string | null;
  policyModelName: string | null;
  stop(): Promise<void>;
}
