import type { Logger } from '../logger';
import { createOpenAIEndpoint } from '../model/openai_client';
import type { Candidate } from './candidate';
import type { ParaphraseStats } from './report';

/** Rewrites one query; rejects on failure. */
export type Rewriter = (query: string) => Promise<string>;

export const PARAPHRASE_INSTRUCTIONS =
  'Rewrite the user request below so it sounds like a different person wrote it. Keep its meaning exactly. Keep every name, ' +
  'quoted title or message, date, time and number exactly as written, character for character. Answer with the rewritten ' +
  'request only, no quotes and no explanation.';

/** Whether a rewrite still holds every entity of the original (case-insensitive). */
export function keepsEntities(candidate: Pick<Candidate, 'entities'>, rewrite: string): boolean {
  const text = rewrite.toLowerCase();
  return candidate.entities.every((entity) => text.includes(entity.toLowerCase()));
}

/**
 * The rewritten query of each task: a rewrite replaces the original only if it is non-empty, different, on one line,
 * and holds every entity; otherwise the original stays. Requests run `concurrency` at a time; order is kept.
 */
export async function paraphraseQueries(candidates: readonly Candidate[], rewrite: Rewriter, concurrency = 4): Promise<{ queries: string[]; stats: ParaphraseStats }> {
  const queries = candidates.map((candidate) => candidate.query);
  const stats: ParaphraseStats = { enabled: true, rewritten: 0, paraphrase_rejected: 0, failed: 0 };
  let next = 0;
  const worker = async () => {
    while (next < candidates.length) {
      const index = next++;
      const candidate = candidates[index] as Candidate;
      let text: string;
      try {
        text = (await rewrite(candidate.query)).trim();
      } catch {
        stats.failed += 1;
        continue;
      }
      if (text.length > 0 && !text.includes('\n') && text !== candidate.query && keepsEntities(candidate, text)) {
        queries[index] = text;
        stats.rewritten += 1;
      } else {
        stats.paraphrase_rejected += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, candidates.length)) }, worker));
  return { queries, stats };
}

export interface OpenAIRewriterOptions {
  baseURL: string;
  apiKey: string;
  model: string;
  logger?: Logger;
  timeoutMs?: number;
}

/** A rewriter over an OpenAI-compatible Responses API endpoint (the configured policy model). */
export function openAIRewriter(options: OpenAIRewriterOptions): Rewriter {
  const endpoint = createOpenAIEndpoint({ baseURL: options.baseURL, apiKey: options.apiKey, model: options.model, logger: options.logger, timeoutMs: options.timeoutMs ?? 120_000, maxRetries: 2 });
  return async (query) => {
    const response = await endpoint.client.responses.create({
      model: options.model,
      input: [
        { role: 'system', content: PARAPHRASE_INSTRUCTIONS },
        { role: 'user', content: query },
      ],
    });
    const texts: string[] = [];
    for (const item of response.output) {
      if (item.type !== 'message') continue;
      for (const part of item.content) if (part.type === 'output_text') texts.push(part.text);
    }
    return texts.join('');
  };
}
