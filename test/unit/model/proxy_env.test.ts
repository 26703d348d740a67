import { describe, expect, it } from 'vitest';
import { describeProxy, ProxyConfigError, readProxyEnvironment } from '../../../src/core/model/proxy_env';

function proxyOf(env: Record<string, string>, url: string): string | null {
  const proxy = readProxyEnvironment(env)?.proxyFor(new URL(url)) ?? null;
  return proxy ? describeProxy(proxy) : null;
}

describe('the proxy variables', () => {
  it('are absent: no proxy environment at all (the direct path stays as it was)', () => {
    expect(readProxyEnvironment({})).toBeNull();
    expect(readProxyEnvironment({ NO_PROXY: 'example.com', HTTPS_PROXY: '  ' })).toBeNull();
  });

  it('pick the variable of the URL scheme; the lower-case name wins; a bare host:port means http://', () => {
    const env = { HTTPS_PROXY: 'http://upper:3128', https_proxy: 'lower:3129', HTTP_PROXY: 'http://plain:8080' };
    expect(proxyOf(env, 'https://api.example.com/v1')).toBe('http://lower:3129');
    expect(proxyOf(env, 'http://api.example.com/v1')).toBe('http://plain:8080');
    expect(proxyOf({ HTTP_PROXY: 'http://plain:8080' }, 'https://api.example.com/v1')).toBeNull();
    expect(proxyOf({ HTTPS_PROXY: 'https://secure-proxy.corp' }, 'https://api.example.com')).toBe('https://secure-proxy.corp');
  });

  it('keep credentials out of the description, and send them as Basic authorization', () => {
    const proxy = readProxyEnvironment({ HTTPS_PROXY: 'http://alice:s%40cret@proxy.corp:3128' })!.proxyFor(new URL('https://api.example.com'))!;
    expect(describeProxy(proxy)).toBe('http://proxy.corp:3128');
    expect(proxy.url.href).not.toContain('s%40cret');
    expect(proxy.authorization).toBe(`Basic ${Buffer.from('alice:s@cret').toString('base64')}`);
    expect(proxy.variable).toBe('HTTPS_PROXY');
  });

  it('refuse an invalid or unsupported proxy without repeating the value', () => {
    const invalid = () => readProxyEnvironment({ HTTPS_PROXY: 'http://bob:hunter2@[not-a-host' });
    expect(invalid).toThrow(ProxyConfigError);
    expect(invalid).toThrow(/HTTPS_PROXY is not a valid proxy URL/);
    expect(invalid).not.toThrow(/hunter2/);
    expect(() => readProxyEnvironment({ https_proxy: 'socks5://bob:hunter2@proxy:1080' })).toThrow(/https_proxy names a socks5 proxy; only http/);
  });
});

describe('NO_PROXY', () => {
  const proxied = (noProxy: string, url: string) => proxyOf({ HTTPS_PROXY: 'http://proxy:3128', HTTP_PROXY: 'http://proxy:3128', NO_PROXY: noProxy }, url) !== null;

  it('matches a name and its subdomains, written plain, with a leading dot or with *.', () => {
    for (const entry of ['example.com', '.example.com', '*.example.com', 'EXAMPLE.com']) {
      expect(proxied(entry, 'https://api.example.com/v1'), entry).toBe(false);
      expect(proxied(entry, 'https://notexample.com/v1'), entry).toBe(true);
    }
    expect(proxied('example.com', 'https://example.com')).toBe(false);
    expect(proxied('api.example.com', 'https://example.com')).toBe(true);
  });

  it('* alone turns the proxy off; entries are separated by commas or spaces', () => {
    expect(proxied('*', 'https://anything.example')).toBe(false);
    expect(proxied('a.test, b.test c.test', 'https://c.test')).toBe(false);
    expect(proxied('a.test,b.test', 'https://d.test')).toBe(true);
  });

  it('limits an entry to a port when it has one', () => {
    expect(proxied('example.com:8443', 'https://example.com:8443')).toBe(false);
    expect(proxied('example.com:8443', 'https://example.com')).toBe(true);
    expect(proxied('example.com:443', 'https://example.com')).toBe(false);
    expect(proxied('[::1]:8000', 'http://[::1]:8000')).toBe(false);
    expect(proxied('[::1]:8000', 'http://[::1]:9000')).toBe(true);
  });

  it('matches IP addresses and CIDR ranges, IPv4 and IPv6, without resolving names', () => {
    expect(proxied('10.0.0.0/8', 'http://10.1.2.3:8000')).toBe(false);
    expect(proxied('10.0.0.0/8', 'http://11.1.2.3:8000')).toBe(true);
    expect(proxied('192.168.1.7', 'http://192.168.1.7')).toBe(false);
    expect(proxied('::1', 'http://[::1]:8000')).toBe(false);
    expect(proxied('fd00::/8', 'http://[fd12::5]')).toBe(false);
    expect(proxied('127.0.0.0/8', 'http://localhost:8000')).toBe(true);
  });

  it('proxies loopback unless listed, as curl and undici do', () => {
    expect(proxied('', 'http://127.0.0.1:8000')).toBe(true);
    expect(proxied('localhost,127.0.0.1,::1', 'http://127.0.0.1:8000')).toBe(false);
    expect(proxied('localhost,127.0.0.1,::1', 'http://localhost:8000')).toBe(false);
  });

  it('reads no_proxy before NO_PROXY', () => {
    expect(proxyOf({ HTTPS_PROXY: 'http://proxy:3128', no_proxy: 'a.test', NO_PROXY: 'b.test' }, 'https://a.test')).toBeNull();
    expect(proxyOf({ HTTPS_PROXY: 'http://proxy:3128', no_proxy: 'a.test', NO_PROXY: 'b.test' }, 'https://b.test')).not.toBeNull();
  });
});
