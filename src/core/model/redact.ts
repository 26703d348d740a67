import type { Logger } from '../logger.js';
import { redactingLogger as redactingLoggerWith } from '../redacting_logger';

/** Keys of query parameters whose values are credentials. */
const SENSITIVE_QUERY_KEY = /key|token|secret|password|passwd|auth|sig|credential/i;

/** Secrets shorter than this are not searched for (they would match ordinary text). */
const MIN_SECRET_LENGTH = 4;

/** Replaces every occurrence of the secrets, and any bearer token, with `***`. */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let result = text;
  for (const secret of secrets) {
    if (secret && secret.length >= MIN_SECRET_LENGTH) result = result.split(secret).join('***');
  }
  return result.replace(/(Bearer\s+)(?!\*\*\*)[^\s"',;)\]}]+/gi, '$1***');
}

/** A URL fit for messages: no user info, no fragment, credential-looking query values masked. */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url.replace(/\/\/[^/@]*@/, '//');
  }
  parsed.username = '';
  parsed.password = '';
  parsed.hash = '';
  for (const key of [...parsed.searchParams.keys()]) {
    if (SENSITIVE_QUERY_KEY.test(key)) parsed.searchParams.set(key, '***');
  }
  return parsed.href.replace(/\/$/, '');
}

/** A logger that redacts the secrets from every line before passing it on. */
export function redactingLogger(logger: Logger, secrets: readonly (string | undefined)[]): Logger {
  return redactingLoggerWith(logger, (message) => redactSecrets(message, secrets));
}
