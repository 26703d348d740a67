import { cpus, platform, release, arch, totalmem } from 'node:os';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CliIO } from '../cli_io';
import { INSTALL_ROOT, loadCommandConfig } from '../command_config';

export function packageVersion(name?: string): string {
  const path = name ? join(INSTALL_ROOT, 'node_modules', name, 'package.json') : join(INSTALL_ROOT, 'package.json');
  try {
    return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
  } catch {
    return name ? 'bundled' : 'unknown';
  }
}

/** `ng_version [+json=true]`: versions and the machine, for bug reports. */
export async function runNgVersion(argv: string[], io: CliIO): Promise<number> {
  const command = loadCommandConfig('ng_version', argv, io, ['json']);
  const info = {
    gym_rollouts: packageVersion(),
    node: process.version,
    install_path: INSTALL_ROOT,
    openai: packageVersion('openai'),
    os: `${platform()} ${release()}`,
    arch: arch(),
    cpus: cpus().length,
    memory_gb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
  };
  if (command.option('json') === true) io.stdout(`${JSON.stringify(info, null, 2)}\n`);
  else io.stdout(`${Object.entries(info).map(([key, value]) => `${key}: ${value}`).join('\n')}\n`);
  return 0;
}
