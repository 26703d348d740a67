import type { Logger } from './logger';

/** A logger that masks secrets in every line before it reaches the real one. */
export function redactingLogger(inner: Logger, redact: (text: string) => string): Logger {
  return {
    trace: (message) => inner.trace(redact(message)),
    debug: (message) => inner.debug(redact(message)),
    info: (message) => inner.info(redact(message)),
    warn: (message) => inner.warn(redact(message)),
    error: (message) => inner.error(redact(message)),
  };
}
