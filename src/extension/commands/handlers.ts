/**
 * Registers the handler of every command in the command table, gathered from the handlers of each area. The
 * combined map is typed `Record<CommandId, …>`, so adding a command to the table without a handler (or the
 * reverse) fails the type check.
 */
import * as vscode from 'vscode';
import type { GymRolloutsExtension } from '../gym_extension';
import { COMMANDS, type CommandId } from './command_table';
import { compareCommands } from './compare_commands';
import { datasetCommands } from './dataset_commands';
import { deepLinkCommands } from './deep_link_commands';
import { reverifyCommands } from './reverify_commands';
import { runCommands } from './run_commands';
import { serverCommands } from './server_commands';
import { errorText, type Handler } from './shared';

export function registerCommands(extension: GymRolloutsExtension): vscode.Disposable[] {
  const { log } = extension;
  const handlers: Record<CommandId, Handler> = {
    ...datasetCommands(extension),
    ...serverCommands(extension),
    ...runCommands(extension),
    ...compareCommands(extension),
    ...deepLinkCommands(extension),
    ...reverifyCommands(extension),
  };

  return COMMANDS.map((spec) =>
    vscode.commands.registerCommand(spec.id, async (...args: unknown[]) => {
      try {
        return await handlers[spec.id](...args);
      } catch (error) {
        log.error(`${spec.title} failed: ${errorText(error)}`);
        void vscode.window.showErrorMessage(`Gym Rollouts: ${spec.title} failed: ${log.redact(errorText(error))}`);
        return undefined;
      }
    }),
  );
}
