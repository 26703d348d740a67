import { createServer } from 'node:net';
import { ConfigError } from './errors.js';
import { hasInterpolation } from './interpolation_grammar.js';
import { DEFAULT_HEAD_SERVER_PORT, parsePort, type ServerBlock } from './servers.js';
import { describeValue, getEntry } from './value.js';

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT_RANGE_LOW = 10001;
export const DEFAULT_PORT_RANGE_HIGH = 20000;

export interface PortAssignmentOptions {
  /** Host for servers without one (NeMo Gym's `default_host`); 127.0.0.1 by default. */
  defaultHost?: string;
  /** Never handed out; 11000 by default. */
  headServerPort?: number;
  portRangeLow?: number;
  portRangeHigh?: number;
  /** More ports never to hand out (NeMo Gym's `disallowed_ports`). */
  disallowedPorts?: readonly number[];
}

export interface AssignedServer extends ServerBlock {
  host: string;
  port: number;
}

/**
 * Gives every server a host and a port. An explicit `host`/`port` in the server's config is kept (a port
 * clashing with the head server's or another server's is an error). Otherwise the host is `defaultHost` and
 * the port is a random port in [portRangeLow, portRangeHigh] that is not disallowed and that could really be
 * bound on that host just now (checked by binding it and closing it again). Servers keep their order.
 * Pass servers found in a resolved config when `host`/`port` are interpolations.
 */
export async function assignHostsAndPorts(servers: readonly ServerBlock[], options: PortAssignmentOptions = {}): Promise<AssignedServer[]> {
  const defaultHost = options.defaultHost ?? DEFAULT_HOST;
  const headServerPort = options.headServerPort ?? DEFAULT_HEAD_SERVER_PORT;
  const low = options.portRangeLow ?? DEFAULT_PORT_RANGE_LOW;
  const high = options.portRangeHigh ?? DEFAULT_PORT_RANGE_HIGH;
  if (parsePort(low) === undefined || parsePort(high) === undefined || low > high) {
    throw new ConfigError('port', `The port range ${low}-${high} is not valid: port_range_low and port_range_high must be ports (1-65535), low <= high.`);
  }

  const taken = new Map<number, string>([[headServerPort, 'the head server']]);
  for (const port of options.disallowedPorts ?? []) if (!taken.has(port)) taken.set(port, 'disallowed_ports');
  const explicitPorts = servers.map((server) => {
    const raw = getEntry(server.config, 'port');
    if (raw === undefined || raw === null || raw === 0 || raw === '') return undefined;
    const port = parsePort(raw);
    if (port === undefined && hasInterpolation(raw)) {
      throw new ConfigError('port', `Server '${server.name}': port is still the interpolation ${raw}; find the servers in the resolved config (resolveConfig) before assigning ports.`);
    }
    if (port === undefined) throw new ConfigError('port', `Server '${server.name}': port should be a whole number from 1 to 65535, not ${describeValue(raw)}.`);
    const holder = taken.get(port);
    if (holder !== undefined) throw new ConfigError('port', `Server '${server.name}' asks for port ${port}, which is already used by ${holder}.`);
    taken.set(port, `server '${server.name}'`);
    return port;
  });

  const assigned: AssignedServer[] = [];
  for (const [index, server] of servers.entries()) {
    const rawHost = getEntry(server.config, 'host');
    const host = typeof rawHost === 'string' && rawHost !== '' ? rawHost : defaultHost;
    let port = explicitPorts[index];
    if (port === undefined) {
      port = await findFreePort(host, low, high, taken);
      taken.set(port, `server '${server.name}'`);
    }
    assigned.push({ ...server, host, port });
  }
  return assigned;
}

const RANDOM_ATTEMPTS = 64;

async function findFreePort(host: string, low: number, high: number, taken: ReadonlyMap<number, string>): Promise<number> {
  const tried = new Set<number>();
  const size = high - low + 1;
  for (let attempt = 0; attempt < RANDOM_ATTEMPTS && tried.size < size; attempt++) {
    const port = low + Math.floor(Math.random() * size);
    if (tried.has(port)) continue;
    tried.add(port);
    if (!taken.has(port) && (await isPortFree(port, host))) return port;
  }
  // A crowded range: walk all of it once, from a random start, so the search always ends.
  const start = Math.floor(Math.random() * size);
  for (let step = 0; step < size; step++) {
    const port = low + ((start + step) % size);
    if (tried.has(port) || taken.has(port)) continue;
    if (await isPortFree(port, host)) return port;
  }
  throw new ConfigError('port', `No free port in ${low}-${high} on ${host}. Free some ports, or widen the range with +port_range_low=... +port_range_high=...`);
}

/**
 * True when a TCP listener can bind `port` on `host` right now. A host that is not an address of this machine
 * is checked on all interfaces instead.
 */
export async function isPortFree(port: number, host: string): Promise<boolean> {
  const outcome = await tryListen(port, host);
  if (outcome === 'free') return true;
  if (outcome === 'in-use') return false;
  return (await tryListen(port, '0.0.0.0')) === 'free';
}

function tryListen(port: number, host: string): Promise<'free' | 'in-use' | 'bad-host'> {
  return new Promise((settle) => {
    const server = createServer();
    server.unref();
    server.once('error', (error: NodeJS.ErrnoException) => {
      const badHost = error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN';
      settle(badHost ? 'bad-host' : 'in-use');
    });
    server.listen({ port, host, exclusive: true }, () => {
      server.close(() => settle('free'));
    });
  });
}
