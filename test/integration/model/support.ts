import type { Logger } from '../../../src/core/logger.js';
import { validateResponsesCreateParams, type ResponsesCreateParams } from '../../../src/core/schema/responses.js';

/** A distinctive key, so a scan of messages and logs can prove it never leaks. */
export const TEST_API_KEY = 'gym-test-key-DO-NOT-LEAK-5e7c93a1';

export interface CapturingLogger extends Logger {
  lines: string[];
}

export function capturingLogger(): CapturingLogger {
  const lines: string[] = [];
  const push = (level: string) => (message: string) => {
    lines.push(`${level} ${message}`);
  };
  return { lines, trace: push('trace'), debug: push('debug'), info: push('info'), warn: push('warn'), error: push('error') };
}

/** Validates like the model server does, so tests send exactly what it would forward. */
export function createParams(body: unknown): ResponsesCreateParams {
  const result = validateResponsesCreateParams(body);
  if (!result.ok) throw new Error(`invalid create params: ${JSON.stringify(result.detail.slice(0, 3))}`);
  return result.value;
}

/** An item reduced to what both APIs can reproduce: calls by name/arguments/call_id, messages by text. */
export function comparable(item: Record<string, unknown>): unknown {
  if (item.type === 'function_call') return { type: 'function_call', name: item.name, arguments: item.arguments, call_id: item.call_id };
  if (item.type === 'message') {
    const content = item.content as { text?: string }[];
    return { type: 'message', role: item.role, text: content.map((part) => part.text ?? '').join('') };
  }
  return item;
}
