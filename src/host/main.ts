/**
 * The host child process: forked by the extension, it speaks JSON-RPC over the IPC channel, runs the embedded
 * servers and collections, sends its logs over the protocol, and exits when the extension goes away.
 * Secrets arrive only through the environment (see `secrets.ts`), never through arguments or requests.
 */
import {
  CancellationToken,
  createMessageConnection,
  IPCMessageReader,
  IPCMessageWriter,
  ResponseError,
  type MessageConnection,
  type NotificationType,
  type RequestParam,
} from 'vscode-jsonrpc/node';
import { collectSecretValues, redactText } from '../core/config/secrets';
import { realHostEngine } from './engine';
import { HostRequestError, HostService } from './host_service';
import * as protocol from './protocol';
import { createProtocolLogger } from './protocol_logger';
import { secretValuesFromEnv } from './secrets';

function toAbortSignal(token: CancellationToken): AbortSignal {
  const controller = new AbortController();
  if (token.isCancellationRequested) controller.abort();
  else token.onCancellationRequested(() => controller.abort());
  return controller.signal;
}

/** Runs a handler, turning its errors into JSON-RPC errors with their message (already redacted by the service). */
async function answer<T>(work: () => T | Promise<T>, redact: (text: string) => string): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof HostRequestError) throw new ResponseError(error.code, error.message);
    throw new ResponseError(protocol.HostErrorCode.OperationFailed, redact(error instanceof Error ? error.message : String(error)));
  }
}

function bind(connection: MessageConnection, service: HostService, redact: (text: string) => string, exit: () => void): void {
  connection.onRequest(protocol.hostHello, () => service.hello());
  connection.onRequest(protocol.hostShutdown, () => answer(() => service.shutdown(), redact).finally(() => setTimeout(exit, 2_000).unref()));
  connection.onRequest(protocol.serversStart, (params, token) => answer(() => service.startServers(params, toAbortSignal(token)), redact));
  connection.onRequest(protocol.serversStop, () => answer(() => service.stopServers(), redact));
  connection.onRequest(protocol.serversStatus, () => service.serversStatus());
  connection.onRequest(protocol.configDump, (params) => answer(() => service.dumpConfig(params), redact));
  connection.onRequest(protocol.collectionStart, (params) => answer(() => service.startCollection(params), redact));
  connection.onRequest(protocol.collectionCancel, (params) => answer(() => service.cancelCollection(params), redact));
  connection.onRequest(protocol.reverifyRollouts, (params, token) => answer(() => service.reverify(params, toAbortSignal(token)), redact));
}

function main(): void {
  if (!process.send) {
    process.stderr.write('The Gym Rollouts host runs as a child process of the editor extension (fork with an IPC channel).\n');
    process.exit(2);
  }
  const env = { ...process.env };
  const secrets = [...new Set([...secretValuesFromEnv(env), ...collectSecretValues({}, env)])].sort((a, b) => b.length - a.length);
  const redact = (text: string) => redactText(text, secrets);

  const connection = createMessageConnection(new IPCMessageReader(process), new IPCMessageWriter(process));
  const logger = createProtocolLogger((params) => void connection.sendNotification(protocol.logLine, params).catch(() => undefined), redact);
  const notify = <P>(type: NotificationType<P>, params: P) => void connection.sendNotification(type, params as RequestParam<P>).catch(() => undefined);
  const service = new HostService(
    realHostEngine,
    {
      serversStateChanged: (status) => notify(protocol.serversStateChanged, status),
      collectionProgress: (params) => notify(protocol.collectionProgress, params),
      collectionNotice: (params) => notify(protocol.collectionNotice, params),
      collectionFinished: (params) => notify(protocol.collectionFinished, params),
    },
    logger,
    env,
    redact,
  );

  let exiting = false;
  const exit = (code = 0) => {
    if (exiting) return;
    exiting = true;
    void service
      .shutdown()
      .catch(() => undefined)
      .finally(() => process.exit(code));
  };
  bind(connection, service, redact, () => process.exit(0));
  process.on('disconnect', () => exit(0));
  connection.onClose(() => exit(0));
  process.on('unhandledRejection', (reason) => logger.error(`Unhandled rejection in the host: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`));
  process.on('uncaughtException', (error) => {
    process.stderr.write(`${redact(error.stack ?? error.message)}\n`);
    exit(1);
  });
  connection.listen();
  logger.info(`Host process ${process.pid} ready (Node ${process.version}).`);
}

main();
