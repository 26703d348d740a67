/** The host's `Logger`: every line is redacted, then sent to the extension as a `log/line` notification. */
import type { Logger } from '../core/logger';
import type { LogLevel, LogLineParams } from './protocol';

export function createProtocolLogger(send: (params: LogLineParams) => void, redact: (text: string) => string): Logger {
  const log = (level: LogLevel) => (message: string) => send({ level, message: redact(message) });
  return { trace: log('trace'), debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}
