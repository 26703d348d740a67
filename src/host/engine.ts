/** The real engine behind the host: the core's embedded servers, collector and config dump. */
import { dirname } from 'node:path';
import { collectRollouts } from '../core/collect/collect';
import { fetchGlobalConfig } from '../core/collect/head_discovery';
import { dumpConfigYaml } from '../core/config/dump';
import { loadGlobalConfig } from '../core/config/loader';
import { collectSecretValues } from '../core/config/secrets';
import { isConfigDict, toConfigValue } from '../core/config/value';
import { reverifyWithOwnServers } from '../core/reverify/reverify_with_servers';
import { startEmbeddedServers } from '../core/servers/embedded';
import { HttpClient } from '../core/servers/http/http_client';
import type { HostEngine } from './host_service';

/** The bundle lives in `<extension>/dist/host.js`; config paths and env.yaml fall back to the extension folder. */
const INSTALL_ROOT = dirname(__dirname);

export const realHostEngine: HostEngine = {
  startEmbeddedServers,
  collectRollouts,

  async dumpConfig(argv, cwd, env) {
    const { config } = loadGlobalConfig({ argv, cwd, installRoot: INSTALL_ROOT, env, command: 'ng_dump_config' });
    return dumpConfigYaml(config, collectSecretValues(config, env), { env });
  },

  async reverifyRollouts(params, env, logger, signal) {
    const result = await reverifyWithOwnServers(
      { rolloutsPath: params.rolloutsPath, inputsPath: params.inputsPath, outputPath: params.outputPath, overwrite: true },
      { cwd: params.cwd, env, installRoot: INSTALL_ROOT, logger, signal },
    );
    const { outputPath, failuresPath, metricsPath, total, verified, failed, changes, unsafeWarning } = result;
    return { outputPath, failuresPath, metricsPath, total, verified, failed, changes, unsafeWarning };
  },

  async fetchDeploymentConfig(headServerUrl) {
    const client = new HttpClient({ maxSockets: 1 });
    let fetched: Record<string, unknown>;
    try {
      fetched = await fetchGlobalConfig(headServerUrl, client);
    } finally {
      client.close();
    }
    const config = toConfigValue(fetched, 'the head server config');
    if (!isConfigDict(config)) throw new Error(`The head server at ${headServerUrl} answered a config that is not a mapping.`);
    // A NeMo Gym head server serves its secrets in clear; they are masked before anything leaves the host.
    return dumpConfigYaml(config, collectSecretValues(config, process.env), { env: process.env });
  },
};
