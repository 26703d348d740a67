/** FastAPI's request-validation answers (HTTP 422 `{"detail":[...]}`), built the way pydantic words them. */
export interface ValidationDetail {
  type: string;
  loc: Array<string | number>;
  msg: string;
  input: unknown;
  ctx?: Record<string, unknown>;
}

export function validationBody(details: ValidationDetail[]): string {
  return JSON.stringify({ detail: details });
}

export function missingBodyDetail(): ValidationDetail {
  return { type: 'missing', loc: ['body'], msg: 'Field required', input: null };
}

export function notAnObjectDetail(input: unknown): ValidationDetail {
  return {
    type: 'model_attributes_type',
    loc: ['body'],
    msg: 'Input should be a valid dictionary or object to extract fields from',
    input,
  };
}

export function jsonInvalidDetail(position: number, error: string): ValidationDetail {
  return { type: 'json_invalid', loc: ['body', position], msg: 'JSON decode error', input: {}, ctx: { error } };
}

export function missingFieldDetail(field: string, input: unknown, prefix: Array<string | number> = ['body']): ValidationDetail {
  return { type: 'missing', loc: [...prefix, field], msg: 'Field required', input };
}
