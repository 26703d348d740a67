import { BlockList, isIP } from 'node:net';

/**
 * The standard proxy variables, read the way curl and undici's EnvHttpProxyAgent read them:
 *
 * - `https_proxy` / `HTTPS_PROXY` for https URLs, `http_proxy` / `HTTP_PROXY` for http URLs; the lower-case name
 *   wins when both are set. A value without a scheme means `http://`. Only http:// and https:// proxies are
 *   supported (an HTTP CONNECT tunnel for https URLs, the absolute URL for http URLs).
 * - `no_proxy` / `NO_PROXY`: entries separated by commas or spaces. `*` alone turns the proxy off; a name matches
 *   itself and its subdomains (`example.com`, `.example.com` and `*.example.com` all match `api.example.com`);
 *   an IP address or CIDR range (`10.0.0.0/8`, `::1`) matches IP-literal hosts; `:port` limits an entry to one
 *   port. Host names are not resolved.
 * - As in curl and undici, loopback addresses are proxied like any other unless NO_PROXY lists them
 *   (`NO_PROXY=localhost,127.0.0.1,::1`).
 */
export interface ProxyEnvironment {
  /** The proxy to reach `url` through, or null to connect directly. */
  proxyFor(url: URL): ProxyTarget | null;
}

export interface ProxyTarget {
  /** The proxy's address, without credentials. */
  url: URL;
  /** `Basic ...` from the credentials in the variable, if any. */
  authorization: string | null;
  /** Which variable named it (for messages). */
  variable: string;
}

export class ProxyConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProxyConfigError';
  }
}

type Env = Record<string, string | undefined>;

/** null when no proxy variable is set: the caller keeps its direct path. */
export function readProxyEnvironment(env: Env): ProxyEnvironment | null {
  const https = proxyFromVariable(env, 'https_proxy');
  const http = proxyFromVariable(env, 'http_proxy');
  if (!https && !http) return null;
  const bypass = parseNoProxy(firstSet(env, 'no_proxy')?.value ?? '');
  return {
    proxyFor(url) {
      const proxy = url.protocol === 'https:' ? https : url.protocol === 'http:' ? http : null;
      if (!proxy) return null;
      return bypass(hostOf(url), portOf(url)) ? null : proxy;
    },
  };
}

/** `http://proxy.example:3128`: the proxy as it may appear in a message, never with its credentials. */
export function describeProxy(proxy: ProxyTarget): string {
  return `${proxy.url.protocol}//${proxy.url.host}`;
}

function firstSet(env: Env, lowerName: string): { name: string; value: string } | null {
  for (const name of [lowerName, lowerName.toUpperCase()]) {
    const value = env[name]?.trim();
    if (value) return { name, value };
  }
  return null;
}

function proxyFromVariable(env: Env, lowerName: string): ProxyTarget | null {
  const found = firstSet(env, lowerName);
  if (!found) return null;
  let url: URL;
  try {
    url = new URL(found.value.includes('://') ? found.value : `http://${found.value}`);
  } catch {
    // The value itself is not repeated: it may hold a password.
    throw new ProxyConfigError(`${found.name} is not a valid proxy URL (expected http://host:port or https://host:port).`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ProxyConfigError(`${found.name} names a ${url.protocol.replace(/:$/, '')} proxy; only http:// and https:// proxies are supported.`);
  }
  const authorization =
    url.username || url.password ? `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}` : null;
  const bare = new URL(`${url.protocol}//${url.host}`);
  return { url: bare, authorization, variable: found.name };
}

function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
}

function portOf(url: URL): number {
  return url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
}

type Bypass = (host: string, port: number) => boolean;

function parseNoProxy(value: string): Bypass {
  const entries = value
    .toLowerCase()
    .split(/[\s,]+/)
    .filter((entry) => entry !== '');
  if (entries.includes('*')) return () => true;
  const rules = entries.map(parseEntry).filter((rule): rule is Bypass => rule !== null);
  return (host, port) => rules.some((rule) => rule(host, port));
}

function parseEntry(entry: string): Bypass | null {
  const { host, port } = splitPort(entry);
  const onPort = (matches: (host: string) => boolean): Bypass => (target, targetPort) => (port === null || port === targetPort) && matches(target);
  const [address, prefix] = host.split('/', 2) as [string, string | undefined];
  const family = isIP(address);
  if (family !== 0) {
    const range = new BlockList();
    const type = family === 4 ? 'ipv4' : 'ipv6';
    const bits = prefix === undefined ? (family === 4 ? 32 : 128) : Number(prefix);
    if (!Number.isInteger(bits) || bits < 0 || bits > (family === 4 ? 32 : 128)) return null;
    range.addSubnet(address, bits, type);
    return onPort((target) => {
      const targetFamily = isIP(target);
      return targetFamily !== 0 && range.check(target, targetFamily === 4 ? 'ipv4' : 'ipv6');
    });
  }
  const domain = host.replace(/^\*?\./, '');
  if (domain === '') return null;
  return onPort((target) => target === domain || target.endsWith(`.${domain}`));
}

/** `host:port`, `[v6]:port`, `[v6]` or a bare host / IPv6 address / CIDR range. */
function splitPort(entry: string): { host: string; port: number | null } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed) return { host: bracketed[1]!, port: bracketed[2] ? Number(bracketed[2]) : null };
  if (isIP(entry.split('/')[0]!) === 6) return { host: entry, port: null };
  const withPort = /^(.+):(\d+)$/.exec(entry);
  return withPort ? { host: withPort[1]!, port: Number(withPort[2]) } : { host: entry, port: null };
}
