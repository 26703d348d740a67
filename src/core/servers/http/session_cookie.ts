import { createHmac, createSecretKey, randomBytes, randomUUID, timingSafeEqual, type KeyObject } from 'node:crypto';

/**
 * Per-server signed session cookies, as NeMo Gym's servers set them: one cookie per server, named
 * `<ClassName>___<server name>`, holding a session id; set on every response. Clients treat the value as
 * opaque, so only this server needs to read it back.
 */
export class SessionCookieCodec {
  private readonly key: KeyObject;
  /** Cookie values already checked (or issued) → session id: every request carries one, so skip the HMAC. */
  private readonly known = new Map<string, string>();
  private static readonly KNOWN_LIMIT = 100_000;

  constructor(
    readonly cookieName: string,
    secret: Buffer = randomBytes(32),
  ) {
    this.key = createSecretKey(secret);
  }

  newSessionId(): string {
    return randomUUID();
  }

  encode(sessionId: string): string {
    const payload = Buffer.from(JSON.stringify({ session_id: sessionId })).toString('base64url');
    const value = `${payload}.${this.sign(payload)}`;
    this.remember(value, sessionId);
    return value;
  }

  /** The session id in a cookie value, or null when it is missing, malformed or not signed by this server. */
  decode(value: string | undefined): string | null {
    if (!value) return null;
    const known = this.known.get(value);
    if (known !== undefined) return known;
    const dot = value.lastIndexOf('.');
    if (dot <= 0) return null;
    const payload = value.slice(0, dot);
    const given = Buffer.from(value.slice(dot + 1));
    const expected = Buffer.from(this.sign(payload));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    try {
      const parsed: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      if (parsed && typeof parsed === 'object' && 'session_id' in parsed && typeof parsed.session_id === 'string') {
        this.remember(value, parsed.session_id);
        return parsed.session_id;
      }
    } catch {
      return null;
    }
    return null;
  }

  /** `Set-Cookie` for the session; `currentValue` (the client's valid cookie) is re-sent as is. */
  setCookieHeader(sessionId: string, currentValue?: string): string {
    const value = currentValue !== undefined && this.known.get(currentValue) === sessionId ? currentValue : this.encode(sessionId);
    return `${this.cookieName}=${value}; path=/; Max-Age=1209600; httponly; samesite=lax`;
  }

  private remember(value: string, sessionId: string): void {
    if (this.known.size >= SessionCookieCodec.KNOWN_LIMIT) this.known.delete(this.known.keys().next().value as string);
    this.known.set(value, sessionId);
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url');
  }
}

/** Parses a `Cookie` request header into name → value (first occurrence wins, like Starlette). */
export function parseCookieHeader(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  if (!header) return cookies;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    if (name && !cookies.has(name)) cookies.set(name, part.slice(eq + 1).trim());
  }
  return cookies;
}

/** Extracts `name=value` pairs from `Set-Cookie` response headers (attributes dropped). */
export function cookiesFromSetCookie(setCookie: string[] | string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  const lines = setCookie === undefined ? [] : Array.isArray(setCookie) ? setCookie : [setCookie];
  for (const line of lines) {
    const first = line.split(';', 1)[0] ?? '';
    const eq = first.indexOf('=');
    if (eq > 0) cookies.set(first.slice(0, eq).trim(), first.slice(eq + 1).trim());
  }
  return cookies;
}

export function cookieHeader(cookies: ReadonlyMap<string, string>): string {
  return [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
}
