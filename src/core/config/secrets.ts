import { hasInterpolation } from './interpolation_grammar.js';
import { resolve, type Env } from './interpolation.js';
import { entriesOf, isConfigDict, setEntry, type ConfigDict, type ConfigValue, type PathSegment } from './value.js';

/**
 * Secret handling that does not leak (NeMo Gym #567, #2222, #2651) and does not mangle innocent keys.
 *
 * A key is secret by its words (split at `_`, `-`, `.` and camelCase, compared in lower case):
 * - `api_key` / `apikey` / `x-api-key`, and `access_key`, `secret_key`, `private_key`, `client_key`, ...;
 * - `password`, `passwd`, `passphrase`, `secret`, `authorization`, `cookie`, `credential` anywhere;
 * - `token` as the last word (`token`, `hf_token`, `access_token`), except counts and tokenizer settings
 *   (`max_token`, `pad_token`, `eos_token`, ...). The plural never is: `max_tokens` and `max_output_tokens` stay
 *   visible, as do `top_logprobs` and `tokenizer`.
 *
 * Redaction works by key (every value under a secret key) and by value (every occurrence of a collected secret,
 * in any string, under any key: inside URLs, lists, log lines; also its URL-encoded and JSON-escaped forms).
 *
 * Short values: a secret shorter than MIN_SECRET_VALUE_LENGTH (6) characters is masked where it sits under a
 * secret key but is not searched for elsewhere. Such values are placeholders (`dummy`, `EMPTY`, `none`, `x`),
 * not credentials; replacing every `EMPTY` or `none` in every log line would corrupt unrelated text while
 * protecting nothing. Real keys (`nvapi-...`, `sk-...`, `hf_...`) are far longer.
 */
export const REDACTED = '****';
export const MIN_SECRET_VALUE_LENGTH = 6;

const ALWAYS_SECRET_WORDS = new Set(['password', 'passwd', 'passphrase', 'secret', 'secrets', 'authorization', 'cookie', 'cookies', 'credential', 'credentials', 'apikey', 'privatekey']);
const SECRET_KEY_QUALIFIERS = new Set(['api', 'access', 'secret', 'private', 'client', 'signing', 'encryption', 'master', 'service', 'auth', 'session']);
const NON_SECRET_TOKEN_QUALIFIERS = new Set([
  'max', 'min', 'num', 'total', 'count', 'pad', 'eos', 'bos', 'unk', 'sep', 'cls', 'mask', 'stop', 'start', 'end', 'special',
  'image', 'audio', 'video', 'think', 'reasoning', 'tool', 'eot', 'first', 'last', 'prefix', 'suffix', 'sentinel', 'placeholder', 'next',
]);

/** Splits `openaiApiKey`, `OPENAI_API_KEY`, `x-api-key` into lower-case words. */
function keyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word !== '')
    .map((word) => word.toLowerCase());
}

/** True when values under this key (a config key, a header name, an environment variable) are credentials. */
export function isSecretKey(key: string): boolean {
  const words = keyWords(key);
  for (const [index, word] of words.entries()) {
    if (ALWAYS_SECRET_WORDS.has(word)) return true;
    if (word === 'key' && index > 0 && SECRET_KEY_QUALIFIERS.has(words[index - 1]!)) return true;
  }
  const last = words[words.length - 1];
  if (last === 'token') {
    const qualifier = words[words.length - 2];
    return qualifier === undefined || !NON_SECRET_TOKEN_QUALIFIERS.has(qualifier);
  }
  return false;
}

/**
 * The value of a command-line override that could not be parsed, when its key names a secret
 * (`++policy_api_key sk-...`, a space instead of `=`): a parse error must not show it.
 */
export function unparsedOverrideSecret(text: string): string | null {
  const match = /^[+~]{0,2}([A-Za-z_$][\w.$-]*)[\s:=]*([\s\S]*)$/.exec(text);
  if (!match || !isSecretKey(match[1]!.split('.').pop()!)) return null;
  const value = match[2]!.trim().replace(/^["']+|["']+$/g, '');
  return value.length >= MIN_SECRET_VALUE_LENGTH ? value : null;
}

/** Words that make an HTTP header's value a credential (`Ocp-Apim-Subscription-Key`, `X-Auth`, `X-Session-Token`). */
const SECRET_HEADER_WORDS = new Set(['key', 'auth', 'authentication', 'authorization', 'subscription', 'signature', 'session', 'token', 'password', 'secret', 'credential', 'cookie']);

/**
 * True for a header name whose value is a credential. Broader than {@link isSecretKey}: in a header map, a name
 * ending in `Key` or mentioning `Auth`, `Token` or `Subscription` is a credential, while `sort_key` in a config
 * is not.
 */
export function isSecretHeaderName(name: string): boolean {
  return isSecretKey(name) || keyWords(name).some((word) => SECRET_HEADER_WORDS.has(word) || /(?:key|token|auth)$/.test(word));
}

/** A config key whose value is a map of HTTP headers (`default_headers`, `openai_default_headers`, `extra_headers`). */
function holdsHeaders(key: string): boolean {
  const words = keyWords(key);
  const last = words[words.length - 1];
  return last === 'headers' || last === 'header';
}

/** How the keys of a dict are judged: header maps by {@link isSecretHeaderName}, everything else by {@link isSecretKey}. */
export function secretTestFor(parentKey: string | null): (key: string) => boolean {
  return parentKey !== null && holdsHeaders(parentKey) ? isSecretHeaderName : isSecretKey;
}

/**
 * The secret values to hide: every value under a secret key in the config (interpolations resolved where they
 * can be, so `openai_api_key: ${policy_api_key}` yields the key itself), every environment variable with a
 * secret-looking name (`NVIDIA_API_KEY`, `OPENAI_API_KEY`, `HF_TOKEN`, ...), and the credential inside
 * `Bearer ...`/`Basic ...` values. Longest first, without duplicates, at least MIN_SECRET_VALUE_LENGTH long.
 */
export function collectSecretValues(config: ConfigDict, env: Env): string[] {
  const found = new Set<string>();
  const add = (value: ConfigValue | undefined) => {
    for (const leaf of scalarLeaves(value)) {
      const text = String(leaf);
      found.add(text);
      const credential = /^(?:bearer|basic|token)\s+(\S+)$/i.exec(text.trim());
      if (credential) found.add(credential[1]!);
    }
  };
  const visit = (value: ConfigValue, path: PathSegment[], underSecretKey: boolean) => {
    if (Array.isArray(value)) value.forEach((item, index) => visit(item, [...path, index], underSecretKey));
    else if (isConfigDict(value)) {
      const last = path[path.length - 1];
      const isSecret = secretTestFor(typeof last === 'string' ? last : null);
      for (const [key, item] of entriesOf(value)) visit(item, [...path, key], underSecretKey || isSecret(key));
    } else if (underSecretKey) add(hasInterpolation(value) ? tryResolve(config, path, env) : value);
  };
  visit(config, [], false);
  for (const [name, value] of Object.entries(env)) if (value !== undefined && isSecretKey(name)) add(value);
  return [...found].filter((value) => value.length >= MIN_SECRET_VALUE_LENGTH).sort((a, b) => b.length - a.length);
}

function tryResolve(config: ConfigDict, path: PathSegment[], env: Env): ConfigValue | undefined {
  try {
    return resolve(config, path, { env });
  } catch {
    return undefined;
  }
}

function scalarLeaves(value: ConfigValue | undefined): (string | number)[] {
  if (value === undefined || value === null || typeof value === 'boolean') return [];
  if (typeof value === 'string' || typeof value === 'number') return value === '' ? [] : [value];
  if (Array.isArray(value)) return value.flatMap(scalarLeaves);
  return entriesOf(value).flatMap(([, item]) => scalarLeaves(item));
}

/**
 * A copy of the config that is safe to print or serve: every value under a secret key becomes `****` (except
 * null, empty strings and booleans, which reveal nothing, and a bare `${other_key}` / `${oc.env:NAME}`
 * reference, which shows where the secret comes from without showing it); every other string goes through
 * redactText; a number equal to a secret is masked too.
 */
export function redactConfig(config: ConfigValue, secretValues: readonly string[]): ConfigValue {
  return redactValue(config, secretValues, false, null);
}

function redactValue(value: ConfigValue, secretValues: readonly string[], underSecretKey: boolean, parentKey: string | null): ConfigValue {
  if (Array.isArray(value)) return value.map((item) => redactValue(item, secretValues, underSecretKey, parentKey));
  if (isConfigDict(value)) {
    const copy: ConfigDict = {};
    const isSecret = secretTestFor(parentKey);
    for (const [key, item] of entriesOf(value)) {
      setEntry(copy, replaceSecretValues(key, secretValues), redactValue(item, secretValues, underSecretKey || isSecret(key), key));
    }
    return copy;
  }
  if (value === null || typeof value === 'boolean' || value === '') return value;
  if (underSecretKey) return typeof value === 'string' && isBareReference(value) ? value : REDACTED;
  if (typeof value === 'number') return secretValues.includes(String(value)) ? REDACTED : value;
  return redactText(value, secretValues);
}

/** `${policy_api_key}` or `${oc.env:NVIDIA_API_KEY}`: names a secret without containing one. */
function isBareReference(value: string): boolean {
  return /^\$\{[A-Za-z0-9_.\-[\]]+\}$/.test(value) || /^\$\{oc\.env:[A-Za-z_][A-Za-z0-9_]*\}$/.test(value);
}

/**
 * Masks secrets in free text (log lines, error messages, echoed command lines): every occurrence of a secret
 * value (and its URL-encoded and JSON-escaped forms); the password in `scheme://user:password@host`; the value
 * after a secret-looking name in `name=value`, `name: value`, `"name": "value"` (so `+policy_api_key=...`,
 * `Authorization: Bearer ...` and `?api_key=...` are caught even when the value was never collected); and any
 * `Bearer <token>`.
 */
export function redactText(text: string, secretValues: readonly string[]): string {
  let result = replaceSecretValues(text, secretValues);
  result = result.replace(/(?<![a-z0-9+.-])([a-z][a-z0-9+.-]{0,30}:\/\/[^\s/:@]+:)([^\s/@]+)@/gi, (_match, prefix: string, password: string) =>
    password === REDACTED ? _match : `${prefix}${REDACTED}@`,
  );
  result = result.replace(
    // The lookbehind starts names only at word boundaries and the bounded length keeps long words linear.
    /(?<![A-Za-z0-9_.-])(["']?)([A-Za-z_][A-Za-z0-9_.-]{0,100})\1([ \t]*[:=][ \t]*)(["']?)((?:bearer|basic|token)[ \t]+)?([^\s"',;&}\]]+)/gi,
    (match, quote: string, name: string, separator: string, valueQuote: string, scheme: string | undefined, value: string) => {
      if (!isSecretKey(name) || value === REDACTED || isBareReference(value)) return match;
      return `${quote}${name}${quote}${separator}${valueQuote}${scheme ?? ''}${REDACTED}`;
    },
  );
  result = result.replace(/([?&](?:key|sig|signature)=)([^&\s#"']+)/gi, (match, prefix: string, value: string) => (value === REDACTED ? match : `${prefix}${REDACTED}`));
  result = result.replace(/\b(Bearer[ \t]+)([A-Za-z0-9._~+/=-]{8,})/g, (match, prefix: string, token: string) => (token === REDACTED ? match : `${prefix}${REDACTED}`));
  return result;
}

function replaceSecretValues(text: string, secretValues: readonly string[]): string {
  let result = text;
  for (const secret of [...secretValues].sort((a, b) => b.length - a.length)) {
    if (secret.length < MIN_SECRET_VALUE_LENGTH) continue;
    for (const form of secretForms(secret)) if (result.includes(form)) result = result.split(form).join(REDACTED);
  }
  return result;
}

function secretForms(secret: string): string[] {
  const forms = [secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)];
  return [...new Set(forms)].sort((a, b) => b.length - a.length);
}
