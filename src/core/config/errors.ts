/**
 * What went wrong while reading the configuration. Every kind is a user mistake (or a missing file), so
 * the CLI prints `message` as it is, without a stack trace.
 */
export type ConfigErrorKind =
  | 'override-syntax'
  | 'override-apply'
  | 'config-file'
  | 'config-paths'
  | 'interpolation'
  | 'server'
  | 'port'
  | 'unknown-option'
  | 'value';

/** A configuration problem the user can fix; `message` is complete and friendly. */
export class ConfigError extends Error {
  constructor(
    readonly kind: ConfigErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Lets the CLI print `message` alone for configuration mistakes and a stack trace for real bugs. */
export function isConfigError(error: unknown): error is ConfigError {
  return error instanceof ConfigError;
}
