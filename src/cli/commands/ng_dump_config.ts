import { dumpConfigYaml } from '../../core/config';
import type { CliIO } from '../cli_io';
import { loadCommandConfig } from '../command_config';

/** `ng_dump_config`: the resolved config as YAML, every secret masked by key and by value. */
export async function runNgDumpConfig(argv: string[], io: CliIO): Promise<number> {
  const command = loadCommandConfig('ng_dump_config', argv, io, [], false);
  if (command.wantsHelp) {
    io.stdout('ng_dump_config "+config_paths=[...]" [+key=value ...]: print the resolved config, secrets masked.\n');
    return 0;
  }
  io.stdout(dumpConfigYaml(command.config, command.secrets, { env: io.env }));
  return 0;
}
