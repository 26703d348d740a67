/**
 * Where the policy API key comes from: the editor's secret storage first, then `NVIDIA_API_KEY`, then
 * `OPENAI_API_KEY`. Editor-free (takes the storage as an interface) so the order is unit-tested.
 */

export interface SecretStore {
  get(key: string): PromiseLike<string | undefined>;
  store(key: string, value: string): PromiseLike<void>;
  delete(key: string): PromiseLike<void>;
}

export const API_KEY_SECRET = 'gymRollouts.policyApiKey';
export const API_KEY_ENV_VARIABLES: readonly string[] = ['NVIDIA_API_KEY', 'OPENAI_API_KEY'];

export type ApiKeySource = 'secret-storage' | 'NVIDIA_API_KEY' | 'OPENAI_API_KEY';

export interface ResolvedApiKey {
  key: string;
  source: ApiKeySource;
}

export class ApiKeyStore {
  constructor(
    private readonly secrets: SecretStore,
    private readonly env: Record<string, string | undefined>,
  ) {}

  async resolve(): Promise<ResolvedApiKey | null> {
    const stored = (await this.secrets.get(API_KEY_SECRET))?.trim();
    if (stored) return { key: stored, source: 'secret-storage' };
    for (const name of API_KEY_ENV_VARIABLES) {
      const value = this.env[name]?.trim();
      if (value) return { key: value, source: name as ApiKeySource };
    }
    return null;
  }

  async set(key: string): Promise<void> {
    await this.secrets.store(API_KEY_SECRET, key.trim());
  }

  async clear(): Promise<void> {
    await this.secrets.delete(API_KEY_SECRET);
  }
}

/** Shape check for the input box: a key is one token without whitespace. */
export function apiKeyProblem(value: string): string | null {
  const trimmed = value.trim();
  if (trimmed === '') return 'Enter a key (it is stored in the editor’s secret storage).';
  if (/\s/.test(trimmed)) return 'A key has no spaces.';
  return null;
}
