import { describe, expect, it } from 'vitest';
import { bindKeywordArguments, suggestKeyword } from '../../../src/core/python/call_args';
import { PyException, type PyValue } from '../../../src/core/python/value';
import { loadFixture } from './fixtures';

type Fixture = { signatures: Record<string, string[]>; calls: Array<[string, string[], string | null]> };
const fixture = loadFixture<Fixture>('call_args.json');

function call(method: string, params: readonly string[], keys: readonly string[]): string | null {
  const kwargs = new Map<string, PyValue>(keys.map((k, i) => [k, i]));
  try {
    bindKeywordArguments(method, params, kwargs);
    return null;
  } catch (e) {
    if (!(e instanceof PyException)) throw e;
    expect(e.type).toBe('TypeError');
    return e.message;
  }
}

describe('bindKeywordArguments against CPython 3.13', () => {
  it.each(fixture.cases.calls.map((c) => [`${c[0]}(${c[1].join(', ')})`, c] as const))('%s', (_label, [method, keys, error]) => {
    const params = fixture.cases.signatures[method] as string[];
    expect(call(method, params, keys)).toBe(error);
  });
});

describe('spec §2.6 examples', () => {
  const search = ['query', 'date_min', 'date_max', 'page', 'page_size'];
  const crm = [
    'customer_name', 'customer_email', 'product_interest', 'status', 'assigned_to_email', 'last_contact_date_min',
    'last_contact_date_max', 'follow_up_by_min', 'follow_up_by_max', 'page', 'page_size',
  ];
  it.each([
    ['querry', 'query'],
    ['pagesize', 'page_size'],
    ['dateMin', 'date_min'],
    ['Query', 'query'],
    ['query_text', null],
    ['q', null],
    ['limit', null],
    ['slef', null],
    ['useless_argument', null],
  ] as const)('search_emails %s → %s', (kw, expected) => {
    expect(suggestKeyword(['self', ...search], kw)).toBe(expected);
  });

  it('covers the other listed examples', () => {
    expect(suggestKeyword(['self', 'email_id', 'field'], 'emailid')).toBe('email_id');
    expect(suggestKeyword(['self', 'email_id', 'field'], 'fields')).toBe('field');
    expect(suggestKeyword(['self', ...crm], 'customer_phone')).toBe('customer_name');
  });

  it('produces the golden texts', () => {
    expect(call('EmailTool.search_emails', search, ['querry'])).toBe(
      "EmailTool.search_emails() got an unexpected keyword argument 'querry'. Did you mean 'query'?",
    );
    expect(call('CustomerRelationshipManagerTool.search_customers', crm, ['slef'])).toBe(
      "CustomerRelationshipManagerTool.search_customers() got an unexpected keyword argument 'slef'",
    );
    expect(call('EmailTool.search_emails', search, ['self'])).toBe("EmailTool.search_emails() got multiple values for argument 'self'");
  });

  it('gives no suggestion with 750 candidates or more, and none in 3.11 mode', () => {
    const many = Array.from({ length: 748 }, (_, i) => `p${i}`);
    expect(suggestKeyword(['self', ...many], 'p1x')).not.toBeNull();
    expect(suggestKeyword(['self', ...many, 'extra'], 'p1x')).toBeNull();
    expect(() => bindKeywordArguments('EmailTool.search_emails', search, new Map([['querry', 1]]), { suggestions: false })).toThrow(
      "EmailTool.search_emails() got an unexpected keyword argument 'querry'",
    );
  });

  it('binds valid keywords', () => {
    const bound = bindKeywordArguments('EmailTool.search_emails', search, new Map<string, PyValue>([['page', 2], ['query', 'x']]));
    expect([...bound.entries()]).toEqual([['page', 2], ['query', 'x']]);
  });
});
