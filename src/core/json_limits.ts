/**
 * Limits on JSON that comes from outside (request bodies, upstream answers, task files). V8's `JSON.parse` takes
 * any depth, but `JSON.stringify` and every recursive walker (validation, display) overflow the stack a few
 * thousand levels down, so nesting is checked on the text before it is parsed, and on values before they are
 * serialised when they did not come through such a check.
 */

/** Deeper than anything a Responses API body, a tool schema or a rollout needs, and far from the stack limit. */
export const MAX_JSON_DEPTH = 512;

export interface NestingViolation {
  /** Offset (in UTF-16 units for a string, bytes for a buffer) of the bracket that went one level too deep. */
  position: number;
  limit: number;
}

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * The first place where arrays/objects nest deeper than `limit` in JSON text, or null. A linear scan that only
 * tracks strings and brackets; it does not validate the JSON (the parser does that afterwards).
 */
export function findExcessiveNesting(text: string | Uint8Array, limit = MAX_JSON_DEPTH): NestingViolation | null {
  const length = text.length;
  const codeAt = typeof text === 'string' ? (i: number) => text.charCodeAt(i) : (i: number) => text[i]!;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < length; i++) {
    const c = codeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > limit) return { position: i, limit };
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
    }
  }
  return null;
}

export function nestingMessage(violation: NestingViolation): string {
  return `JSON nested deeper than ${violation.limit} levels (at character ${violation.position})`;
}
