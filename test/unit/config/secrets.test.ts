import { describe, expect, it } from 'vitest';
import { REDACTED, collectSecretValues, isSecretKey, redactConfig, redactText } from '../../../src/core/config/secrets.js';
import type { ConfigDict } from '../../../src/core/config/value.js';

const ENV_KEY = ['nvapi', 'from', 'the', 'environment'].join('-');

const API_KEY = 'nvapi-Zx81_qPLm-77abcDEF';
const HF = 'hf_sEcReTtOkEn123456';

function config(): ConfigDict {
  return {
    policy_base_url: 'https://integrate.api.nvidia.com/v1',
    policy_api_key: API_KEY,
    policy_model_name: 'openai/gpt-oss-120b',
    hf_token: HF,
    policy_model: {
      responses_api_models: {
        openai_model: {
          openai_base_url: '${policy_base_url}',
          openai_api_key: '${policy_api_key}',
          default_headers: { Authorization: 'Bearer abcdefgh12345678', 'X-Request-Source': 'gym' },
          password: 'hunter2hunter2',
          client_secret: 'cs-0000-1111',
          session_cookie: 'sess=abcdef123456',
        },
      },
    },
    responses_create_params: { max_output_tokens: 2048, max_tokens: 512, top_logprobs: 5, temperature: 0.7 },
    tokenizer: 'meta-llama/Llama-3',
    pad_token: '<pad>',
    notes: `copied by mistake: ${API_KEY}`,
    mirror_url: `https://proxy.example.com/v1?api_key=${API_KEY}&x=1`,
    endpoints: ['https://a.example.com', `https://user:${encodeURIComponent(API_KEY)}@b.example.com/v1`],
    use_api_key: true,
    empty_token: '',
    dummy_api_key: 'dummy',
  };
}

describe('isSecretKey', () => {
  it.each(['api_key', 'policy_api_key', 'openai_api_key', 'apiKey', 'X-API-Key', 'apikey', 'NVIDIA_API_KEY', 'OPENAI_API_KEY', 'hf_token', 'HF_TOKEN', 'token', 'access_token', 'GITHUB_TOKEN', 'password', 'db_password', 'secret', 'client_secret', 'AWS_SECRET_ACCESS_KEY', 'access_key', 'private_key', 'Authorization', 'authorization', 'cookie', 'Set-Cookie', 'credentials'])(
    '%s is secret',
    (key) => expect(isSecretKey(key)).toBe(true),
  );

  it.each(['max_output_tokens', 'max_tokens', 'top_logprobs', 'tokenizer', 'max_token', 'pad_token', 'eos_token', 'num_tokens', 'token_ids', 'sort_key', 'key', 'primary_key', 'keyword', 'secretary_name'])(
    '%s is not secret',
    (key) => expect(isSecretKey(key)).toBe(false),
  );
});

describe('collectSecretValues', () => {
  it('collects values under secret keys (interpolations resolved), bearer credentials and secret env vars, longest first', () => {
    const secrets = collectSecretValues(config(), { NVIDIA_API_KEY: ENV_KEY, HOME: '/home/user', SHORT_TOKEN: 'abc' });
    expect(secrets).toContain(API_KEY);
    expect(secrets).toContain(HF);
    expect(secrets).toContain('Bearer abcdefgh12345678');
    expect(secrets).toContain('abcdefgh12345678');
    expect(secrets).toContain('hunter2hunter2');
    expect(secrets).toContain(ENV_KEY);
    expect(secrets).not.toContain('/home/user');
    expect(secrets).not.toContain('abc');
    expect(secrets).not.toContain('dummy');
    expect(secrets).not.toContain('2048');
    expect([...secrets].sort((a, b) => b.length - a.length)).toEqual(secrets);
  });

  it('resolves secret-keyed oc.env interpolations', () => {
    const secrets = collectSecretValues({ model: { api_key: '${oc.env:MY_SERVICE_CREDENTIAL_VALUE}' } }, { MY_SERVICE_CREDENTIAL_VALUE: 'zz-very-secret-zz' });
    expect(secrets).toContain('zz-very-secret-zz');
  });
});

describe('redactConfig', () => {
  const secrets = collectSecretValues(config(), {});
  const redacted = redactConfig(config(), secrets) as ConfigDict;
  const text = JSON.stringify(redacted);

  it('never lets a secret value through: by key, under innocent keys, in URLs and in lists', () => {
    for (const secret of [API_KEY, encodeURIComponent(API_KEY), HF, 'abcdefgh12345678', 'hunter2hunter2', 'cs-0000-1111', 'abcdef123456']) {
      expect(text).not.toContain(secret);
    }
    expect(redacted['policy_api_key']).toBe(REDACTED);
    expect(redacted['hf_token']).toBe(REDACTED);
    expect(redacted['notes']).toBe(`copied by mistake: ${REDACTED}`);
    expect(redacted['mirror_url']).toBe(`https://proxy.example.com/v1?api_key=${REDACTED}&x=1`);
    expect(redacted['endpoints']).toEqual(['https://a.example.com', `https://user:${REDACTED}@b.example.com/v1`]);
  });

  it('masks Authorization, password, secret and cookie, which NeMo Gym leaves visible', () => {
    const model = ((redacted['policy_model'] as ConfigDict)['responses_api_models'] as ConfigDict)['openai_model'] as ConfigDict;
    expect(model['default_headers']).toEqual({ Authorization: REDACTED, 'X-Request-Source': 'gym' });
    expect(model['password']).toBe(REDACTED);
    expect(model['client_secret']).toBe(REDACTED);
    expect(model['session_cookie']).toBe(REDACTED);
  });

  it('keeps bare references to secrets visible, since they hold no secret', () => {
    const model = ((redacted['policy_model'] as ConfigDict)['responses_api_models'] as ConfigDict)['openai_model'] as ConfigDict;
    expect(model['openai_api_key']).toBe('${policy_api_key}');
    expect(redactConfig({ api_key: '${oc.env:NVIDIA_API_KEY}' }, [])).toEqual({ api_key: '${oc.env:NVIDIA_API_KEY}' });
    expect(redactConfig({ api_key: '${oc.env:NVIDIA_API_KEY,nvapi-default-value}' }, [])).toEqual({ api_key: REDACTED });
  });

  it('leaves max_output_tokens, max_tokens, top_logprobs and tokenizer settings alone (NeMo Gym #2651)', () => {
    expect(redacted['responses_create_params']).toEqual({ max_output_tokens: 2048, max_tokens: 512, top_logprobs: 5, temperature: 0.7 });
    expect(redacted['tokenizer']).toBe('meta-llama/Llama-3');
    expect(redacted['pad_token']).toBe('<pad>');
    expect(redacted['policy_model_name']).toBe('openai/gpt-oss-120b');
    expect(redacted['policy_base_url']).toBe('https://integrate.api.nvidia.com/v1');
  });

  it('keeps booleans, null and empty values, and masks short values under secret keys', () => {
    expect(redacted['use_api_key']).toBe(true);
    expect(redacted['empty_token']).toBe('');
    expect(redacted['dummy_api_key']).toBe(REDACTED);
  });

  it('masks a number equal to a secret and secrets used as keys', () => {
    expect(redactConfig({ a: 123456789, b: 12 }, ['123456789'])).toEqual({ a: REDACTED, b: 12 });
    expect(redactConfig({ [API_KEY]: 1 }, [API_KEY])).toEqual({ [REDACTED]: 1 });
  });

  it('does not modify its input', () => {
    const input = config();
    redactConfig(input, secrets);
    expect(input).toEqual(config());
  });
});

describe('redactText', () => {
  const secrets = [API_KEY, HF];

  it('removes secrets from log lines and error messages', () => {
    const line = `POST https://integrate.api.nvidia.com/v1/responses failed; key=${API_KEY}; hf=${HF}; body={"api_key": "${API_KEY}"}`;
    const clean = redactText(line, secrets);
    expect(clean).not.toContain(API_KEY);
    expect(clean).not.toContain(HF);
    expect(clean).toContain('https://integrate.api.nvidia.com/v1/responses');
  });

  it('catches the JSON-escaped and URL-encoded forms', () => {
    const tricky = 'nvapi-"quoted"/and+plus';
    expect(redactText(JSON.stringify({ v: tricky }), [tricky])).toBe(`{"v":"${REDACTED}"}`);
    expect(redactText(`?k=${encodeURIComponent(tricky)}`, [tricky])).toBe(`?k=${REDACTED}`);
  });

  it('masks credentials it was never told about', () => {
    expect(redactText('ng_run +policy_api_key=nvapi-unknown-to-us +limit=5', [])).toBe(`ng_run +policy_api_key=${REDACTED} +limit=5`);
    expect(redactText('Authorization: Bearer sk-live-0123456789abcdef', [])).toBe(`Authorization: Bearer ${REDACTED}`);
    expect(redactText("headers={'Authorization': 'Basic dXNlcjpwYXNz'}", [])).toBe(`headers={'Authorization': 'Basic ${REDACTED}'}`);
    expect(redactText('connecting to postgres://admin:s3cr3t-pass@db:5432/x', [])).toBe(`connecting to postgres://admin:${REDACTED}@db:5432/x`);
    expect(redactText('GET /maps?key=AIzaSyExample123&q=x', [])).toBe(`GET /maps?key=${REDACTED}&q=x`);
  });

  it('leaves ordinary text, token counts and short placeholders alone', () => {
    expect(redactText('max_output_tokens: 2048, max_tokens=512, usage.output_tokens=30', ['EMPTY'])).toBe('max_output_tokens: 2048, max_tokens=512, usage.output_tokens=30');
    expect(redactText('the response was EMPTY', ['EMPTY'])).toBe('the response was EMPTY');
  });

  it('copes with a megabyte-long line (no quadratic scanning)', () => {
    const line = `${'a'.repeat(1_000_000)} api_key=${'x'.repeat(12)} ${'b.'.repeat(200_000)}`;
    const clean = redactText(line, []);
    expect(clean).toContain(`api_key=${REDACTED}`);
    expect(clean.length).toBe(line.length - 12 + REDACTED.length);
  });

  it('is idempotent', () => {
    const once = redactText(`Bearer ${API_KEY} api_key=${API_KEY}`, secrets);
    expect(redactText(once, secrets)).toBe(once);
  });
});
