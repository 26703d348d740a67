import type { Logger } from '../logger.js';
import { EndpointPool, type EndpointPoolOptions, type EndpointStats, type Lease } from '../endpoint_pool.js';
import { ModelError, supportsChatCompletionsPassthrough, type ChatCompletionsPassthrough, type Model, type ModelCallOptions } from './model.js';
import type { ResponseObject, ResponsesCreateParams } from '../schema/responses.js';

/**
 * One model over several endpoints of the same model (a list `policy_base_url`: vLLM or NIM replicas). Every call of
 * a session (`sessionKey`: the model server's session, i.e. one rollout, as NeMo Gym's vllm_model keys its clients)
 * goes to one endpoint; a new session goes to the least-loaded healthy one (see endpoint_pool.ts). When the endpoint
 * is taken out during a call (it refused a connection, or failed repeatedly), the call is sent again to another
 * endpoint, which the session then sticks to; the extra attempt shows in the upstream attempt count.
 */
export interface PooledModel extends Model, ChatCompletionsPassthrough {
  endpointStats(): EndpointStats[];
  close(): void;
}

export interface PooledModelMember {
  label: string;
  model: Model & ChatCompletionsPassthrough;
}

export function createPooledModel(members: readonly PooledModelMember[], logger: Logger, poolOptions: EndpointPoolOptions = {}): { model: PooledModel; pool: EndpointPool<Model & ChatCompletionsPassthrough> } {
  const pool = new EndpointPool(
    members.map((member) => ({ label: member.label, value: member.model })),
    {
      ...poolOptions,
      onHealthChange: (label, healthy, reason) => {
        if (healthy) logger.info(`Policy endpoint ${label} is back (${reason}).`);
        else logger.warn(`Policy endpoint ${label} taken out: ${reason}.`);
        poolOptions.onHealthChange?.(label, healthy, reason);
      },
    },
  );

  async function call<R>(options: ModelCallOptions | undefined, run: (model: Model & ChatCompletionsPassthrough, signal: AbortSignal) => Promise<R>): Promise<R> {
    const tried = new Set<number>();
    let lastError: unknown = null;
    for (;;) {
      const lease = pool.choose(options?.sessionKey, tried);
      if (!lease) {
        throw lastError ?? new ModelError({ kind: 'connection', message: `No policy endpoint is available (${pool.stats().map((s) => s.label).join(', ')} all taken out).`, retryable: true });
      }
      const signal = options?.signal ? AbortSignal.any([options.signal, lease.signal]) : lease.signal;
      try {
        const result = await run(lease.value, signal);
        lease.succeed();
        return result;
      } catch (error) {
        if (options?.signal?.aborted) {
          lease.succeed();
          throw error;
        }
        settle(lease, error);
        lastError = error;
        // The endpoint was taken out (now or during the call): send the call to another one.
        if (!pool.healthy(lease.index) && tried.size + 1 < pool.size) {
          tried.add(lease.index);
          logger.warn(`Model call moved from ${lease.label} to another endpoint (${lease.label} was taken out).`);
          continue;
        }
        throw error;
      }
    }
  }

  const model: PooledModel = {
    respond: (params: ResponsesCreateParams, options?: ModelCallOptions): Promise<ResponseObject> =>
      call(options, (member, signal) => member.respond(params, { signal })),
    createChatCompletion: (body: Record<string, unknown>, options?: ModelCallOptions): Promise<unknown> =>
      call(options, (member, signal) => member.createChatCompletion(body, { signal })),
    endpointStats: () => pool.stats(),
    close: () => pool.close(),
  };
  return { model, pool };
}

/** Whether a failed call counts against the endpoint: its own failures do (5xx, timeouts, connections), a 4xx does not. */
function settle(lease: Lease<unknown>, error: unknown): void {
  if (lease.signal.aborted) {
    lease.fail('error', 'taken out during the call');
    return;
  }
  if (error instanceof ModelError && (error.kind === 'connection' || error.kind === 'timeout' || (error.kind === 'http' && (error.status ?? 0) >= 500))) {
    lease.fail('error', error.message.slice(0, 200));
    return;
  }
  lease.succeed();
}

export function pooledMembersSupportChat(models: readonly Model[]): models is (Model & ChatCompletionsPassthrough)[] {
  return models.every(supportsChatCompletionsPassthrough);
}
