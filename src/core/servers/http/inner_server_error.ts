import { HttpError } from './http_server';

/** Failure classes the collector reads from the `x-gym-failure-class` header of an agent's 5xx answer. */
export type PeerFailureClass = 'model_error' | 'model_timeout' | 'agent_error' | 'verify_error' | 'connection_error';

export const FAILURE_CLASS_HEADER = 'x-gym-failure-class';

export const PEER_FAILURE_CLASSES: ReadonlySet<string> = new Set<PeerFailureClass>([
  'model_error',
  'model_timeout',
  'agent_error',
  'verify_error',
  'connection_error',
]);

/** Appended to the header value (`model_error;terminal`) when retrying cannot help (e.g. an upstream 4xx). */
export const FAILURE_TERMINAL_MARK = 'terminal';

/** Python's `repr(bytes)`: how NeMo Gym quotes an inner server's body in its 500 message. */
export function pythonBytesRepr(text: string): string {
  const bytes = Buffer.from(text, 'utf8');
  const useDouble = bytes.includes(0x27) && !bytes.includes(0x22);
  const quote = useDouble ? '"' : "'";
  let out = 'b' + quote;
  for (const byte of bytes) {
    if (byte === 0x5c) out += '\\\\';
    else if (byte === quote.charCodeAt(0)) out += '\\' + quote;
    else if (byte === 0x0a) out += '\\n';
    else if (byte === 0x0d) out += '\\r';
    else if (byte === 0x09) out += '\\t';
    else if (byte < 0x20 || byte >= 0x7f) out += '\\x' + byte.toString(16).padStart(2, '0');
    else out += String.fromCharCode(byte);
  }
  return out + quote;
}

/**
 * An inner call failed: answer HTTP 500 with NeMo Gym's JSON-string body
 * `Hit an exception in <Class>___<name> calling an inner server: b'<inner body>'`, plus our failure class.
 */
export class InnerServerError extends HttpError {
  /** The inner server's HTTP status, when it answered. */
  readonly peerStatus?: number;
  /** Upstream attempts a model server reported for the failed call. */
  readonly upstreamAttempts?: number;

  constructor(
    identity: string,
    innerBody: string,
    readonly failureClass: PeerFailureClass,
    terminal = false,
    details: { peerStatus?: number; upstreamAttempts?: number } = {},
  ) {
    super(500, JSON.stringify(`Hit an exception in ${identity} calling an inner server: ${pythonBytesRepr(innerBody)}`), {
      [FAILURE_CLASS_HEADER]: terminal ? `${failureClass};${FAILURE_TERMINAL_MARK}` : failureClass,
    });
    if (details.peerStatus !== undefined) this.peerStatus = details.peerStatus;
    if (details.upstreamAttempts !== undefined) this.upstreamAttempts = details.upstreamAttempts;
  }
}
