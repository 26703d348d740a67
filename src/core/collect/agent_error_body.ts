/**
 * What an agent's error body says. NeMo Gym wraps an inner server's body as
 * `Hit an exception in <server> calling an inner server: b'<body>'`; the inner `error.message` or `detail` says
 * what actually went wrong, and our model server adds the upstream's HTTP status (`error.upstream_status`).
 */
export interface AgentErrorDescription {
  message: string;
  /** The server that called the failing inner server, when the body was wrapped. */
  via?: string;
  upstreamStatus?: number;
}

const MAX_MESSAGE_CHARS = 4000;

export function describeAgentError(bodyText: string): AgentErrorDescription {
  let text = bodyText;
  try {
    const parsed: unknown = JSON.parse(bodyText);
    if (typeof parsed === 'string') text = parsed;
  } catch {
    // not JSON: keep the raw text
  }
  const wrapped = /^Hit an exception in (\S+) calling an inner server: b(['"])([\s\S]*)\2$/.exec(text);
  if (!wrapped) return { message: clip(text) };
  const inner = innerError(unescapePythonBytes(wrapped[3]!));
  if (!inner) return { message: clip(text) };
  const via = wrapped[1]!;
  return { message: clip(`${inner.message} (via ${via})`), via, ...(inner.upstreamStatus !== undefined ? { upstreamStatus: inner.upstreamStatus } : {}) };
}

function innerError(body: string): { message: string; upstreamStatus?: number } | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return body.trim() === '' ? null : { message: body };
  }
  if (typeof parsed === 'string') return { message: parsed };
  if (typeof parsed !== 'object' || parsed === null) return null;
  const error = (parsed as { error?: { message?: unknown; upstream_status?: unknown } }).error;
  if (error && typeof error.message === 'string') {
    const status = error.upstream_status;
    return { message: error.message, ...(typeof status === 'number' ? { upstreamStatus: status } : {}) };
  }
  const detail = (parsed as { detail?: unknown }).detail;
  if (detail !== undefined) return { message: `detail: ${typeof detail === 'string' ? detail : JSON.stringify(detail)}` };
  return null;
}

function clip(text: string): string {
  return text.length > MAX_MESSAGE_CHARS ? `${text.slice(0, MAX_MESSAGE_CHARS)}…` : text;
}

/** Undoes Python's bytes repr escapes (`\\`, `\'`, `\n`, `\xNN`), decoding the bytes as UTF-8. */
function unescapePythonBytes(text: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c !== '\\' || i + 1 >= text.length) {
      bytes.push(...Buffer.from(c, 'utf8'));
      continue;
    }
    const next = text[++i]!;
    if (next === 'x') {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(({ n: 10, r: 13, t: 9 } as Record<string, number>)[next] ?? next.charCodeAt(0));
  }
  return Buffer.from(bytes).toString('utf8');
}
