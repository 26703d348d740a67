/**
 * The secrets the host knows: the values of the key-carrying environment variables it was started with. They
 * are masked in every log line, notification and error the host sends.
 */
import { POLICY_API_KEY_ENV } from './protocol';

export const SECRET_ENV_VARIABLES: readonly string[] = [POLICY_API_KEY_ENV, 'NVIDIA_API_KEY', 'OPENAI_API_KEY'];

/** Values shorter than this are not treated as secrets (masking "a" everywhere would mangle every line). */
const MIN_SECRET_LENGTH = 6;

export function secretValuesFromEnv(env: Record<string, string | undefined>): string[] {
  const values = SECRET_ENV_VARIABLES.map((name) => env[name]).filter((value): value is string => typeof value === 'string' && value.length >= MIN_SECRET_LENGTH);
  return [...new Set(values)];
}
