#!/usr/bin/env python3
"""Generate the Python-derived expectations used by test/unit/python/*.test.ts.

Run with CPython 3.13 (the upstream runtime), e.g. `~/.pyenv/versions/3.13.0/bin/python3`:

    python3.13 scripts/dev/python_gen_fixtures.py

Writes test/unit/python/fixtures/{json,values,int,call_args,ops,regex}.json. Deterministic (fixed seed).
Values are encoded as: None/bool/str as JSON, int as {"int": "<decimal>"}, float as {"float": "<repr>"},
list as {"list": [...]}, dict as {"dict": [[key, value], ...]}; an exception as {"error": [type, str(e)]}.
"""
import json
import os
import random
import re
import sys
import warnings

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, 'test', 'unit', 'python', 'fixtures')
rng = random.Random(20260101)


def enc(v):
    if v is None or isinstance(v, bool) or isinstance(v, str):
        return v
    if isinstance(v, int):
        return {'int': str(v)}
    if isinstance(v, float):
        return {'float': repr(v)}
    if isinstance(v, list):
        return {'list': [enc(x) for x in v]}
    if isinstance(v, dict):
        return {'dict': [[k, enc(x)] for k, x in v.items()]}
    raise TypeError(type(v))


def err(e):
    return {'error': [type(e).__name__, str(e)]}


def write(name, data):
    path = os.path.join(OUT, name)
    with open(path, 'w', encoding='utf-8') as f:
        json.dump({'python': sys.version.split()[0], 'cases': data}, f, ensure_ascii=True, separators=(',', ':'))
        f.write('\n')
    print(path, os.path.getsize(path))


# ----------------------------------------------------------------------------------------------- json
def gen_json():
    base = [
        '', ' ', '{}', '[]', '{"a": 1}', '{"query": "kofi", "page": 2}', '{"a":1,"a":2}', '{"b":1,"a":2,"b":3}',
        '{"1": 1, "0": 2}', '{"__proto__": 1}', '[1, 2.0, -3, 4e2, 5E-1, -0, -0.0, 1e400, -1e400]',
        'NaN', 'Infinity', '-Infinity', '[NaN, Infinity, -Infinity]', 'nan', 'inf', '-inf', 'true', 'false', 'null',
        'True', 'None', '"abc"', '"\\u00e9\\ud83d\\ude00"', '"\\ud800"', '"\\udc00\\ud800"', '"\\ud800x"',
        '"\\ud83d\\ude00', '"\\ud83d\\ude0', '"\\u12"', '"\\u12x4"', '"\\u1234', '"\\x"', '"\\/\\b\\f\\n\\r\\t"',
        '"abc', '"a\x01"', '"a\x1f"', '"a\x7f"', '"tab\there"', '[1 2]', '{"a" 1}', '{1:2}', 'tru', 'nul', 'fals',
        '-', '-x', '1.', '1e', '1e+', '1.5e+3', '01', '00', '-01', '.5', '+1', '0x10', '1_000', '\ufeff1', '1 2',
        ' \n [\n1,\n ?]', '[1,]', '{"a":1,}', '[1,  ]', '{"a":1  ,  }', '[,', '{,}', '[', '{', '{"a"', '{"a":',
        '{"a":1', '[1', '["a"', '"', '["a", ]', '\t\n\r {"a" :\t1 } \n', '\u00a0{}', '{}\u00a0', '1\u2028',
        '"é" x', '"😀" x', '["😀", x]', '"😀😀" ?', '12345678901234567890', '-12345678901234567890',
        '9007199254740991', '9007199254740992', '-9007199254740993', '1' * 4300, '1' * 4301, '-' + '1' * 4301,
        '0.1', '0.30000000000000004', '1e-7', '123456789012345678901234567890.5', '2.5e-324', '1.7976931348623157e308',
        '{"a": [1, {"b": [null, true]}], "c": "d"}', '[[[[[]]]]]', '{"": ""}', '{"a\\u0000b": 1}', 'x', '[x]',
        '{"a": x}', '"\\', '"\\u"', '"\\uD83D\\uDE00"', '"\\uDBFF\\uDFFF"', '"\\ud800\\u0041"',
        '{"a":1}{"b":2}', '[1]]', '{"a":1}}', '123abc', '"a"  "b"', '\u2028', '\x0b1', '1\x0c',
    ]
    cases = []
    seen = set()

    def add(text):
        if text in seen:
            return
        seen.add(text)
        try:
            cases.append({'text': text, 'value': enc(json.loads(text))})
        except Exception as e:  # noqa: BLE001
            cases.append({'text': text, 'error': [type(e).__name__, str(e), repr(e)]})

    for t in base:
        add(t)
    alphabet = list('{}[]":,.-+eE0123456789 \t\nnulltruefalseNaNInfinity\\uabc') + ['\\u00e9', 'é', '😀', '\x01']
    seeds = ['{"query": "kofi report", "page": 2, "page_size": 5.0}', '[1, -2.5e3, "x\\ny", null, true]',
             '{"a": {"b": [1, 2, {"c": "\\u00e9"}]}}']
    for _ in range(600):
        s = list(rng.choice(seeds))
        for _ in range(rng.randint(1, 3)):
            op = rng.random()
            pos = rng.randint(0, len(s))
            if op < 0.4 and s:
                del s[min(pos, len(s) - 1)]
            elif op < 0.8:
                s.insert(pos, rng.choice(alphabet))
            elif s:
                s[min(pos, len(s) - 1)] = rng.choice(alphabet)
        add(''.join(s))
    write('json.json', cases)


# ------------------------------------------------------------------------------------ repr / dumps
def gen_values():
    floats = [0.0, -0.0, 1.0, -1.0, 0.1, 0.5, 1.5, 20.0, 11.5, 15.76923076923077, 20.31578947368421, 1e16, 1e15,
              123456789012345.6, 1234567890123456.8, 9999999999999998.0, 1e17, 1e22, 1e23, 1.7976931348623157e308,
              5e-324, 2.2250738585072014e-308, 1e-4, 1e-5, 0.0001234, 0.00001234, 1e-7, 1.5e-7, 3.14159, 2 / 3,
              1 / 3, 100.0, 1e100, 123e-20, float('inf'), float('-inf'), float('nan'), 12345.678, 0.30000000000000004]
    for _ in range(300):
        kind = rng.random()
        if kind < 0.4:
            floats.append(rng.uniform(-1e6, 1e6))
        elif kind < 0.7:
            floats.append(rng.random() * 10 ** rng.randint(-30, 30))
        else:
            floats.append(float(rng.randint(-10**18, 10**18)) * 10 ** rng.randint(-5, 5))
    strings = ['', 'a', "it's", 'say "hi"', 'both \' and "', 'back\\slash', 'tab\tnl\ncr\r', '\x00\x01\x1f\x7f',
               'é', '\x85\xa0\xad', 'ÿĀ', '\u2028\u2029', '\u200b\ufeff', '😀', '\U0001f600\U000e0001', '\ud800',
               '\udfff', 'a\ud83d', '\ue000', '\U00010ffff'[:1], 'Café ✓', '/path/', '\u0378', '\U0010ffff',
               '\x1b[0m', 'ǅ', '\u00a0']
    values = [None, True, False, 0, 1, -1, 2 ** 53, 2 ** 53 + 1, -(2 ** 63), 10 ** 30, [], {}, [1, 'a', True, None],
              {'k': 1.5, 'b': [1, 2]}, {'a': {'b': {}}}, [[], [[]]], {'': None}, [1.0, 2.5, float('nan')],
              {'it\'s': "x", 'q"': 'y'}] + strings + floats
    cases = []
    for v in values:
        c = {'value': enc(v), 'repr': repr(v), 'str': str(v), 'dumps': json.dumps(v)}
        cases.append(c)
    write('values.json', cases)


# ---------------------------------------------------------------------------------------------- int
def gen_int():
    inputs = [' 45 ', '+45', '-45', '4_5', '4__5', '_45', '45_', '\x1c45', '\u200945', '\u300045\u3000', '٣',
              '١٢٣', '१२३', '²', '①', '1_', '_1', '1__0', '0x10', '0b1', '007', '-0', '+0', '', ' ', 'x' * 300,
              '١x', '4' * 4300, '4' * 4301, '-' + '4' * 4301, '4_' * 4300 + '4', '4' * 4301 + 'x', '1\x00', '𝟎𝟙',
              '𝟘', '1.5', '1e3', '30.5', 'abc', "it's", 'nan', 'inf', '\t12\n', '1 2', '+-1', '--1', '+ 1', '٫',
              '\U0001d7ce\U0001d7ff', '\u0e51\u0e52', '\uff11\uff12', '\ud800', '1\ud800', '9' * 20, '-9' * 1,
              1, -1, 0, 2 ** 64, True, False, 30.5, -30.5, 0.9, -0.9, 1e20, 1e300, -0.0, float('nan'), float('inf'),
              float('-inf'), None, [], [1], {}, {'a': 1}]
    cases = []
    for v in inputs:
        try:
            r = int(v)
            cases.append({'value': enc(v), 'result': str(r)})
        except Exception as e:  # noqa: BLE001
            cases.append({'value': enc(v), **err(e)})
    # Every Unicode decimal digit and whitespace character.
    digits = [c for c in range(0x110000) if chr(c).isdecimal()]
    cases.append({'decimalDigits': [[c, int(chr(c))] for c in digits]})
    write('int.json', cases)


# ---------------------------------------------------------------------------------------- call args
SIGNATURES = {
    'EmailTool.get_email_information_by_id': ['email_id', 'field'],
    'EmailTool.search_emails': ['query', 'date_min', 'date_max', 'page', 'page_size'],
    'EmailTool.send_email': ['recipient', 'subject', 'body'],
    'CalendarTool.create_event': ['event_name', 'participant_email', 'event_start', 'duration'],
    'AnalyticsTool.create_plot': ['time_min', 'time_max', 'value_to_plot', 'plot_type'],
    'ProjectManagementTool.search_tasks': ['task_name', 'assigned_to_email', 'list_name', 'due_date', 'board'],
    'CustomerRelationshipManagerTool.search_customers': [
        'customer_name', 'customer_email', 'product_interest', 'status', 'assigned_to_email',
        'last_contact_date_min', 'last_contact_date_max', 'follow_up_by_min', 'follow_up_by_max', 'page', 'page_size'],
    'CompanyDirectoryTool.find_email_address': ['name'],
}


def make_method(qualname, params):
    cls_name, meth = qualname.split('.')
    src = 'class %s:\n    def %s(self, %s): return None\n' % (cls_name, meth, ', '.join('%s=None' % p for p in params))
    ns = {}
    exec(src, ns)
    return getattr(ns[cls_name](), meth)


def misspell(word):
    w = list(word)
    for _ in range(rng.randint(1, 3)):
        op = rng.random()
        i = rng.randrange(len(w) + 1)
        if op < 0.3 and len(w) > 1:
            del w[min(i, len(w) - 1)]
        elif op < 0.55:
            w.insert(i, rng.choice('abcdefghijklmnopqrstuvwxyz_'))
        elif op < 0.75 and w:
            j = min(i, len(w) - 1)
            w[j] = w[j].upper() if w[j].islower() else rng.choice('abcxyz_')
        elif len(w) > 1:
            j = min(i, len(w) - 2)
            w[j], w[j + 1] = w[j + 1], w[j]
    return ''.join(w)


def gen_call_args():
    cases = {'signatures': SIGNATURES, 'calls': []}
    fixed = ['querry', 'pagesize', 'dateMin', 'Query', 'emailid', 'fields', 'customer_phone', 'query_text', 'q',
             'limit', 'slef', 'self', 'useless_argument', 'SELF', 'sel', 'é', 'quéry', 'page_sizeé', 'x' * 60,
             'customer_namee', 'a' * 41 + 'query', '', ' ', 'page-size', 'PAGE_SIZE']
    for qualname, params in SIGNATURES.items():
        f = make_method(qualname, params)
        words = fixed + [misspell(rng.choice(params + ['self'])) for _ in range(25)]
        for i, w in enumerate(words):
            variants = [{w: 1}, {params[0]: 1, w: 2}]
            if i % 5 == 0:
                variants += [{w: 1, 'another_bad': 2}, {'self': 1, w: 2}, {w: 1, 'self': 2}]
            for kwargs in variants:
                try:
                    f(**kwargs)
                    cases['calls'].append([qualname, list(kwargs), None])
                except TypeError as e:
                    cases['calls'].append([qualname, list(kwargs), str(e)])
    write('call_args.json', cases)


# ---------------------------------------------------------------------------------------------- ops
def gen_ops():
    vals = [0, 1, -7, 3, 2 ** 60, True, False, 0.0, -0.0, 1.0, 2.5, -2.5, 1e308, float('nan'), float('inf'),
            '', '2', 'ab', '😀', '\uffff', '\ud800', [], [1, 2], [1, 'a'], {}, {'a': 1}, None]
    binops = {
        '+': lambda a, b: a + b, '-': lambda a, b: a - b, '*': lambda a, b: a * b, '//': lambda a, b: a // b,
        '<': lambda a, b: a < b, '<=': lambda a, b: a <= b, '>': lambda a, b: a > b, '>=': lambda a, b: a >= b,
        '==': lambda a, b: a == b, 'min': lambda a, b: min(a, b), 'max': lambda a, b: max(a, b),
        'in': lambda a, b: b in a,
    }
    cases = []
    outcomes = []
    outcome_index = {}
    for ai, a in enumerate(vals):
        for bi, b in enumerate(vals):
            for name, fn in binops.items():
                if name == '*' and ((isinstance(a, (str, list)) and isinstance(b, int) and abs(b) > 10)
                                    or (isinstance(b, (str, list)) and isinstance(a, int) and abs(a) > 10)):
                    continue
                try:
                    r = fn(a, b)
                    if name in ('min', 'max'):
                        out = 'a' if r is a else 'b'
                    else:
                        out = {'result': enc(r)}
                except Exception as e:  # noqa: BLE001
                    out = err(e)
                key = json.dumps(out, sort_keys=True)
                if key not in outcome_index:
                    outcome_index[key] = len(outcomes)
                    outcomes.append(out)
                cases.append([name, ai, bi, outcome_index[key]])
    unary = []
    for v in vals + ['  a b\tc\n', '\x1c\x1dx\x1e\x1fy', 'İ', 'ΑΣ', 'ΑΣ Σ', 'ǅ', 'ß', '²', '①', '⑩', '١٢', '12', '1.2',
                     '\u00a0x\u2028y\u3000', 'ABC', 'ÀÉÎ', 'ＡＢ', '\U00010400']:
        row = {'value': enc(v), 'truthy': bool(v) if not isinstance(v, float) or v == v else True}
        for name, fn in (('lower', lambda x: x.lower()), ('split', lambda x: x.split()),
                         ('isdigit', lambda x: x.isdigit())):
            try:
                row[name] = {'result': enc(fn(v))}
            except Exception as e:  # noqa: BLE001
                row[name] = err(e)
        unary.append(row)
    slices = []
    seq = [10, 11, 12, 13, 14]
    for start in [None, 0, 1, 4, 5, 7, -1, -5, -7, True, 2 ** 70, -(2 ** 70), 1.0, '1']:
        for stop in [None, 0, 2, 5, 9, -1, -2, -9, False, 1.0]:
            try:
                slices.append({'start': enc(start), 'stop': enc(stop), 'result': enc(seq[start:stop]),
                               'str': 'abcde'[start:stop]})
            except Exception as e:  # noqa: BLE001
                slices.append({'start': enc(start), 'stop': enc(stop), **err(e)})
    write('ops.json', {'values': [enc(v) for v in vals], 'outcomes': outcomes, 'binary': cases, 'unary': unary, 'slices': slices})


# -------------------------------------------------------------------------------------------- regex
SUBJECTS = ['', 'a', 'A', 'abc', 'ABC', 'aisha.chen@atlas.com', 'Nadia', 'sync up', 'Team Sync Up', '2023-12-10',
            '2023-12-1', 'C++ dev', 'cc', 'x@y.com\n', 'x@y.com', 'line1\nline2', '\n', 'ab\n', 'éÉ', 'straße',
            'STRASSE', 'ſ', 'K', 'k', 'İi', 'ıI', 'Σσς', '😀', 'a😀b', '١٢٣', '_x_', 'a b\tc', 'foo.bar', '{3}',
            'aaa', 'aaaa', 'abab', 'hello world', 'Hello, World!', 'under_score', '\u00a0', '\x1c', 'ǅǄǆ', 'µΜμ',
            'ΐ', 'ﬀ', 'Ꭰꭰ', '\U00010400\U00010428', 'a\u0345', 'Ω']

CURATED = [
    '', '.', 'a', 'A', 'a.c', 'an', 'Nadia', 'sync up', '2023-12-1', '(', 'a)', '[a', '\\', '*', '+', '?', '{', '}',
    'a{', 'a{1', 'a{1,', 'a{,2}', 'a{2,1}', 'a{1,2}', 'a{}', 'a{,}', 'a{x}', 'a{ 1}', 'x{2}', 'a**', 'a*+', 'a++',
    'a?+', 'a{1,2}+', 'a*?', 'a+?', 'a??', 'a{1,2}?', 'a*?+', 'a{1}{2}', '^*', '$*', '\\b*', '\\A+', 'C++', 'c++',
    '(?>a+)b', '(?>a|ab)c', 'a++b', '(a+)+b', '(?:a|b)*?c', '$', '^$', '^a$', 'com$', 'com\\Z', '\\Acom',
    '\\Aaisha', '^', '\\b', '\\B', '\\bsync\\b', '\\Bync', 'a\\b', '\\w+', '\\W', '\\d', '\\D+', '\\s', '\\S',
    '[\\w.]+@', '^[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\\.[a-zA-Z]{2,}$', '(?P<name>a)', '(?P<name>a)(?P=name)',
    '(?P<1a>x)', '(?P<a-b>x)', '(?P<a>x)(?P<a>y)', '(?P=nope)', '(?P<a>(?P=a))', '(?P', '(?P<', '(?P<a', '(?P<>a)',
    '(?Px)', '(?P=', '(?P=a', '(?#comment)a', '(?#unterminated', '(?i)a', '(?i)A', 'a(?i)', '(?i:a)b', '(?-i:a)b',
    '(?i)(?-i:a)', '(?s).', '(?s:.)', '.', '(?m)^b', '(?m)a$', '(?x) a b # c', '(?x)[ ]a', '(?x)a\\ b', '(?a)\\w',
    '(?u)\\w', '(?a)(?u)', '(?au)', '(?L)', '(?t)', '(?it)', '(?i', '(?i-', '(?i-i:a)', '(?-a:x)', '(?-', '(?-:x)',
    '(?-x)', '(?i-:x)', '(?iz)', '(?ié)', '(?i:', '(?', '(?é)', '(?z)', '(?<x)', '(?<', '(?<=a)b', '(?<!a)b',
    '(?<=a|bc)d', '(?<=a+)b', '(?<=(a))b', '(?<=a{2})b', '(?<=\\w)b', '(?=a)', '(?!a)', '(?=a)*', '(?!)', 'x(?=)',
    '(a)\\1', '(a)\\2', '\\1', '(a\\1)', '(a)|\\1', '(?:(a)|b)\\1', '(a)?b\\1', '(a)*\\1', '(?i)(a)\\1', '\\0',
    '\\012', '\\08', '\\18', '\\400', '\\777', '\\x', '\\x4', '\\x41', '\\xg1', '\\u00e9', '\\u00e', '\\U0001F600',
    '\\U00110000', '\\U0001F60', '\\N{EM DASH}', '\\N{em dash}', '\\N{NOPE}', '\\N', '\\N{', '\\N{}', '\\N{EM DASH',
    '\\N{LATIN SMALL LETTER A}', '\\N{CJK UNIFIED IDEOGRAPH-4E00}', '\\N{HANGUL SYLLABLE GA}', '[\\N{EM DASH}]',
    '\\q', '\\é', '\\ ', '\\.', '\\-', '[\\q]', '[\\A]', '[\\b]', '[\\d-z]', '[a-\\d]', '[z-a]', '[a-a]', '[]',
    '[]]', '[^]]', '[^]', '[]a]', '[a-]', '[-a]', '[a-z]', '[A-Z]', '[^a]', '[^a-z]', '[\\s\\d]', '[^\\W\\d]',
    '[\\W]', '[.]', '[[]', '[[a]]', '[a--b]', '[a&&b]', '[\\x41-\\x5a]', '[\\u0100-\\u017f]', '[\\U00010400]',
    '[\\U00010400x]', '[\\U00010400-\\U00010401]', '[ſ]', '[s]', '[k]', '[K]', '[Ω]', '[ω]', '[ǅ]', '[µ]',
    '[i]', '[İ]', '[ı]', 'ß', 'ss', 'ǆ', 'ΐ', '\\u0345', 'ι', '[\\x00-\\x7f]', '[^\\x00-\\x7f]', '[^\\n]',
    '(?a)[k]', '(?a:k)', '(?a)\\b', 'a|b', 'a|b|c', 'ab|ac', '|', 'a|', '(|a)', 'a||b', '(a|b)*c', '(?:a|b)+$',
    '(?(1)a|b)', '(a)?(?(1)b|c)', '(?(1)a)', '(a)(?(1)b|c|d)', '(?(0)a)', '(?(a)b)', '(?P<a>x)(?(a)y|z)',
    '(?(+1)a)', '(?( 1)a)', '(?(1a)x)', '(?(١)x)', '(?(2)a)(b)', '(?(9)a)', '(?(1', '(?(', '(?(a', '(?(1)a|b',
    '((a)', 'a))', ')', '())', '(?:', '(?=', '(?<=a', '\\Z', '\\z', 'a\nb', '(a\n', '\n(', 'x\n*', '[\n',
    'é*', '😀', '[😀]', '[😀-😂]', '.😀', 'a{1000000000}', 'a{4294967295}', 'a{4294967294}', 'a{99999999999}',
    'a{1,4294967295}', '(?i)[^a]', '(?i)[^k]', '(?i)[^\\W]', '(?i)[a-z]+', '(?i)[A-Z]', '(?i)[\\u0100-\\u0180]',
    '(?i)[\\U00010400-\\U00010500]', '(?i)[\\U00010400x]', '(?i)\\U00010400', '(?i)ss', '(?i)ß', '(?i)st',
    '(?i)ǅ', '(?i)ι', '(?i)[ι]', '(?i)\\u0345', '(?i)µ', '(?i)k', '(?i)i', '(?i)İ', '(?i)ı', '(?i)[i]',
    '(?i)[İx]', '(?ia)k', '(?ia)[a-z]', '(?i)(a)(?-i:\\1)', '(?i:a(?-i:b))', '((?i)a)', 'a(?i)b',
    '(?x)a # comment\n b', '(?x)a # comment', '(?x)\\#', '(?x)[#]', '(?x)a{1, 2}', '(?x)a {2}', '(?x: a b )c',
    '(?-x: a )', '(?x)(?-x: a )b', '(?m:^a)', '(?s:.)\\n', '\\d{4}-\\d{2}-\\d{2}', '[0-9]{2,}',
    '^(a+)+$', '(x+x+)+y', '(?:\\w+\\s?)+$', 'a{3}', 'a{,3}b', 'a{3,}', '(?:ab){2}', '(ab){2,}?', '(?:a{2})*',
    '(?:)', '()', '(?:)*', '()*', '(a*)*', '(a*)+b', '(?:a?)*?b', '(|b)*c', '(a|)+$', '\\b\\B', '\\B\\b', '^\\B$',
    '\\B$', '(?#)', '(?#a)(?#b)', 'a(?#x)*', '(?:a(?#x))*', '[\\]]', '[\\[]', '[^^]', '[a^]', '[\\^a]', '[\\-]',
    '[a\\-z]', '[-]', '[\\w-]', '[\\w-z]', '[a-\\w]', '[%--]', '[--%]', '[!-/]', '[\\0]', '[\\08]', '[\\1]',
    '[\\8]', '[\\777]', '[\\x]', '[\\u12]', '[\\N{EM DASH}-\\N{HORIZONTAL BAR}]', 'a{,}', '{1}', '{1,2}', '{,}',
    'x{1,2}{3}', 'x{1', 'x{1,2', 'x{a}', '\\{1}', 'a{2}?+', 'a{2}+?', '(?i)\\b', '(?i)\\w', '(?i)[\\w]',
    '(?i)[a\\W]', '(?i)[\\da]', '(?i)\\S', '(?a)[\\s]', '(?a)\\S', '(?a)\\d', '(?a)\\D', '(?a)\\W',
]


def fuzz_pattern():
    atoms = ['a', 'b', 'A', '.', '\\w', '\\d', '\\s', '\\b', '[ab]', '[^a]', '[a-c]', '(a)', '(?:ab)', '(?i:a)',
             '(?=a)', '(?!b)', '(?<=a)', '^', '$', '\\Z', 'é', 'K', 'ſ', 's', '(?>a|ab)', 'x', '\\n', '|', '(', ')',
             '[', ']', '{', '}', '\\', '?', '*', '+', '{2}', '{1,}', '-', '\\1', '(?P<g>a)', '(?P=g)', '(?#c)',
             ' ', '#', '(?x)', '(?i)', '1', ',', '(?(1)a|b)']
    quants = ['', '', '', '*', '+', '?', '*?', '+?', '??', '*+', '++', '{2}', '{1,2}', '{,2}', '{2,}?', '{1,2}+']
    n = rng.randint(1, 5)
    return ''.join(rng.choice(atoms) + rng.choice(quants) for _ in range(n))


def gen_regex():
    patterns = list(CURATED)
    seen = set(patterns)
    while len(patterns) < len(CURATED) + 700:
        p = fuzz_pattern()
        if p not in seen:
            seen.add(p)
            patterns.append(p)
    cases = []
    for p in patterns:
        for flags in (0, re.IGNORECASE):
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter('ignore')
                    c = re.compile(p, flags)
            except Exception as e:  # noqa: BLE001
                cases.append({'pattern': p, 'flags': flags, 'error': [type(e).__name__, str(e)]})
                continue
            results = ''.join(('1' if c.search(s) else '0') + ('1' if c.match(s) else '0') for s in SUBJECTS)
            cases.append({'pattern': p, 'flags': flags, 'results': results})
    write('regex.json', {'subjects': SUBJECTS, 'cases': cases})


SET_PATTERNS = ['(?i)k', '(?i)s', '(?i)i', '(?i)[i]', '(?i)[a-z]', '(?i)[^a]', '(?i)[\\u0100-\\u017f]', '(?i)ß',
                '(?i)ǅ', '(?i)ι', '(?i)µ', '(?i)Ω', '(?i)[\\U00010400-\\U0001044f]', '(?i)[\\U00010400x]',
                '(?i)\\U00010400', '(?i)[\\x00-\\x7f]', '(?i)[^\\W\\d]', '(?i)[a\\W]', '(?i)[\\d\\s]', '\\w', '\\W',
                '\\s', '\\d', '\\D', '.', '(?s).', '(?a)\\w', '(?a)\\s', '(?ia)k', '(?ia)[a-z]', '(?ia)[\\u0100-\\U00010500]',
                '(?i)[\\u0000-\\U0010ffff]', '(?i)[^\\u0100-\\U00010500]', '(?i)Ꭰ', '(?i)ꭰ', '(?i)ϴ', '(?i)[θ]', '(?i)ẞ',
                '(?i)[ǅ-ǌ]', '(?i)[\\U0001e900-\\U0001e943]']
SET_SAMPLE = (list(range(0x10000)) + list(range(0x10400, 0x10500)) + list(range(0x10c80, 0x10d00)) +
              list(range(0x118a0, 0x11900)) + list(range(0x16e40, 0x16ea0)) + list(range(0x1e900, 0x1e960)) +
              [0x1f600, 0x20000, 0x10ffff, 0xe0001])


def ranges_of(cps):
    out = []
    for c in cps:
        if out and out[-1][1] == c - 1:
            out[-1][1] = c
        else:
            out.append([c, c])
    return out


def gen_regex_sets():
    cases = []
    for p in SET_PATTERNS:
        c = re.compile(p)
        hits = [cp for cp in SET_SAMPLE if c.fullmatch(chr(cp))]
        cases.append({'pattern': p, 'ranges': ranges_of(hits)})
    write('regex_sets.json', {'sample': ranges_of(SET_SAMPLE), 'cases': cases})


if __name__ == '__main__':
    os.makedirs(OUT, exist_ok=True)
    if sys.version_info[:2] != (3, 13):
        sys.exit('run with CPython 3.13')
    gen_json()
    gen_values()
    gen_int()
    gen_call_args()
    gen_ops()
    gen_regex()
    gen_regex_sets()
