#!/usr/bin/env python3
"""Generate test/unit/python/fixtures/{sort,timestamp}.json from numpy + pandas (pandas 2.2.x).

Needs a Python with pandas 2.2 and numpy 2.x, e.g. a venv made from local wheels:
    python3 -m venv /tmp/gympy && /tmp/gympy/bin/pip install --no-index --find-links <wheel dir> pandas==2.2.3
    /tmp/gympy/bin/python scripts/dev/python_gen_pandas_fixtures.py
"""
import datetime as dt
import json
import os
import random
import sys
import warnings

import numpy as np
import pandas as pd

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, 'test', 'unit', 'python', 'fixtures')
rng = random.Random(7)


def write(name, data):
    path = os.path.join(OUT, name)
    with open(path, 'w', encoding='utf-8') as f:
        json.dump({'python': sys.version.split()[0], 'pandas': pd.__version__, 'numpy': np.__version__,
                   'cases': data}, f, ensure_ascii=True, separators=(',', ':'))
        f.write('\n')
    print(path, os.path.getsize(path))


def gen_sort():
    cases = []
    sizes = list(range(0, 40)) + [50, 64, 100, 127, 128, 129, 200, 256, 300, 503]
    for n in sizes:
        for variant in range(3 if n < 40 else 2):
            distinct = max(1, [n, max(1, n // 3), 3][variant % 3] if n else 1)
            keys = [rng.randrange(distinct) for _ in range(n)]
            if variant == 1 and n:
                # sorted ascending like the emails table, with a run of ties at the end
                keys = sorted(keys)
            micros = [1_700_000_000_000_000 + k * 1_000_000 for k in keys]
            arr = np.array(micros, dtype='datetime64[us]')
            argsort = np.argsort(arr, kind='quicksort').tolist()
            s = pd.Series(pd.to_datetime(micros, unit='us'))
            desc = s.sort_values(ascending=False, kind='quicksort').index.tolist()
            cases.append({'keys': keys, 'argsort': argsort, 'descending': desc})
    # adversarial: many equal keys and organ-pipe patterns that push the introsort depth budget
    for n in (17, 33, 100, 600):
        for keys in ([5] * n, list(range(n)) + list(range(n, 0, -1)), [i % 7 for i in range(n)],
                     [(i * 7919) % 13 for i in range(n)]):
            arr = np.array([1_700_000_000_000_000 + k for k in keys], dtype='datetime64[us]')
            s = pd.Series(pd.to_datetime([1_700_000_000_000_000 + k for k in keys], unit='us'))
            cases.append({'keys': keys, 'argsort': np.argsort(arr, kind='quicksort').tolist(),
                          'descending': s.sort_values(ascending=False, kind='quicksort').index.tolist()})
    # McIlroy's quicksort adversary, played against numpy's generic (object) argsort, which has the same
    # introsort structure: it yields inputs whose partitions degenerate until the depth budget is exhausted
    # and the heapsort fallback runs.
    for n in (40, 100, 300):
        killer = mcilroy_killer(n)
        arr = np.array([1_700_000_000_000_000 + k for k in killer], dtype='datetime64[us]')
        s = pd.Series(pd.to_datetime([1_700_000_000_000_000 + k for k in killer], unit='us'))
        cases.append({'keys': killer, 'argsort': np.argsort(arr, kind='quicksort').tolist(),
                      'descending': s.sort_values(ascending=False, kind='quicksort').index.tolist(),
                      'adversarial': True})
    write('sort.json', cases)


def mcilroy_killer(n):
    gas = n
    val = [gas] * n
    state = {'nsolid': 0, 'candidate': 0}

    class Item:
        __slots__ = ('i',)

        def __init__(self, i):
            self.i = i

        def __lt__(self, other):
            x, y = self.i, other.i
            if val[x] == gas and val[y] == gas:
                if x == state['candidate']:
                    val[x] = state['nsolid']
                    state['nsolid'] += 1
                else:
                    val[y] = state['nsolid']
                    state['nsolid'] += 1
            if val[x] == gas:
                state['candidate'] = x
            elif val[y] == gas:
                state['candidate'] = y
            return val[x] < val[y]

        def __gt__(self, other):
            return other.__lt__(self)

        def __eq__(self, other):
            return not self.__lt__(other) and not other.__lt__(self)

    items = np.empty(n, dtype=object)
    for i in range(n):
        items[i] = Item(i)
    np.argsort(items, kind='quicksort')
    return [v if v != gas else state['nsolid'] + i for i, v in enumerate(val)]


TS_CURATED = [
    '', 'NaT', 'nat', 'NAT', 'nan', 'NaN', 'NAN', 'None', 'null', 'garbage', '  ', ' ', 'Friday', 'tomorrow',
    'yesterday', '2023-W48', '2023-12-01', '2023-12-01 10:00', '2023-12-01T10:00:00', '2023-12-01T10', '2023-12-1',
    '2023-12-01 9:00', '2023-12-01 10:00:00.5', '2023-12-01 10:00:00.123456', '2023-12-01 10:00:00.1234567',
    '2023-12-01T10:00:00.123456789', '2023-12-01 10:00:00.', '2023-12', '2023', '20231201', '2023/12/01',
    '12/01/2023', '01/12/2023', '13/12/2023', '13/13/2023', '02/30/2023', '2/3/2023', '2/13/2023', '12/1/2023',
    '12-01-2023', '12.01.2023', '12 01 2023', '12/2023', '13/2023', '12.2023', '12-2023', 'Dec 1 2023',
    'December 1, 2023', '1 Dec 2023', '1 December 2023', 'Dec 2023', 'DEC-2023', 'dec 2023', 'Dec  2023',
    'December 2023', '2023 Dec', '2023-12-01 10am', '2023-12-01 10:00 PM', '2023-12-01 10:00PM', '2023-12-01 12am',
    '2023-12-01 13pm', '10am', 'now', 'today', '10:00', '10:00:30', '9:05', '23:59', '24:00', '10:00 PM',
    '2023-12-01T10:00:00Z', '2023-12-01T10:00:00+02:00', '2023-12-01 10:00-0530', '2023-12-01T10:00:00+2',
    '2023-12-01T10:00:00 +02:00', '2023-12-01 10:00 UTC', '2023-12-01 10:00 GMT', '2023-12-01 10:00 EST',
    '2023-12-01 10:00 GMT+3', '2023-12-01 10:00 +9999', '2023-13-01', '2023-12-32', '2023-02-29', '2024-02-29',
    '2023-12-01 25:00', '2023-12-01 10:61', '2023-12-01 10:00:61', '1701424800', '99999999999', '12345',
    '100000', '0', '05', '12', '123', '1234', '1_23', ' 123', '+123', '-123', '2023Q4', '4Q2023', '23Q4', '4Q23',
    '2023-Q4', 'Q4 2023', '2023Q5', '123Q', 'xq23', '2023-12-01 10:00:00 extra', '2023-12-01T', '2023-12-01 ',
    ' 2023-12-01', '2023-12-01\n', '\t2023-12-01', '0000-01-01', '-0001-01-01', '9999-12-31', '10000-01-01',
    '1500-01-01 00:00:00.000000001', '1500-01-01 10:00+01:00', '1500-01-01T10Z', '2262-04-12 00:00:00.000000001',
    'Jan', 'Monday', 'Mon Dec 1 2023', 'Monday 10:00', 'Friday, December 1, 2023', '12/01/23', '01/12/23',
    '2023.12.01', '2023 12 01', '202312', '20231201T1000', '20231201T100000', '2023-12-01T1000', '231201',
    '1st Dec 2023', 'Dec 1st, 2023', 'the 1st of December 2023', '1 of Dec', 'Dec of 23', 'a', 'A', 'm', 'T',
    'p', 'x', '1e5', '1.5', '0.5', '1,000', '٢٠٢٣-١٢-٠١', '٢٠٢٣', '２０２３-１２-０１', '2023年12月1日',
    '10h30', '10h', '10 h 30 m', '10:30:45.123', '1:2:3', '1.5h', '2023-12-01 10.5h', '5 pm', '12 am',
    'noon', 'midnight', 'Dec 1', 'December', '1 December', '2023-12-01 10:00:00.000000', '2023-12-01 10:00:00,5',
    '10:00:00,5', '2023-12-01T10:00:00.5Z', '2023-12-01 10 am', '2023-12-01 10 a.m.', '2023-12-01 10 pm',
    '2023-12-01 0am', 'Sept 1 2023', 'Sep. 1, 2023', '1.12.2023', '1/12/2023', '31/12/2023', '12/31/2023',
    '31/11/2023', '2023/13/01', '2023/12/32', '2023-1-1', '2023-01-1', '2023-1-01', '2023.1.1', '2023\\12\\01',
    '2023_12_01', '2023-12-01T10:00:00.123+05:30', '2023-12-01T10:00:00-00:00', 'Z', '2023Z', 'UTC',
    '12:00 UTC', '12:00 Z', '12:00 z', 'T10:00', '10:00 2023-12-01', '1 2 3', '1 2', '2023 1', '99 12 01',
    '01 02 03', '2023-12-01 10:00:00 +0000', '2023-12-01 10:00:00 +00:00 (UTC)', '2023-12-01 10:00:00 -0300 (BRT)',
]


def ts_result(s):
    try:
        t = pd.Timestamp(s)
    except Exception as e:  # noqa: BLE001
        return {'error': [type(e).__name__, str(e)]}
    if t is pd.NaT:
        return {'nat': True}
    off = t.utcoffset()
    return {'fields': [t.year, t.month, t.day, t.hour, t.minute, t.second, t.microsecond, t.nanosecond],
            'offset': None if off is None else int(off.total_seconds()), 'unit': t.unit}


def ts_fuzz():
    years = ['2023', '1999', '23', '99', '0023', '2262', '1677', '10000', '1']
    months = ['12', '1', '01', '13', '0', 'Dec', 'December', 'dec', 'Sept', 'Feb']
    days = ['1', '01', '31', '30', '29', '32', '0', '1st', '2nd']
    seps = ['-', '/', '.', ' ', '', ', ', '\\']
    times = ['', ' 10:00', 'T10:00', ' 10:00:00', ' 9:5', ' 10am', ' 10 PM', ' 10:00:00.5', ' 25:00', 'T10', ' 10h',
             ' 10:00Z', ' 10:00 +01:00', ' 10:00 EST', ' noon', ' 10:00:60']
    extra = ['', '', '', ' extra', ' Monday', 'Z', ' at', ' on', ',', ' of']
    out = set()
    while len(out) < 1200:
        order = rng.choice(['ymd', 'mdy', 'dmy', 'md', 'my', 'ym', 'y'])
        parts = {'y': rng.choice(years), 'm': rng.choice(months), 'd': rng.choice(days)}
        sep = rng.choice(seps)
        date = sep.join(parts[c] for c in order)
        out.add(date + rng.choice(times) + rng.choice(extra))
    seeds = ['2023-12-01 10:00:00', 'Dec 1, 2023 10:00 PM', '12/01/2023', '2023Q4', '10:00', '20231201T1000',
             '1 Dec 2023 10h30m', '2023-12-01T10:00:00.123+05:30', 'Mon, 01 Dec 2023 10:00:00 GMT']
    alphabet = list('0123456789-/.:, TZ+apmAPMQ') + ['Dec', 'Jan', 'of', 'at', 'h', 'st', ' ', '٣', '²', 'é']
    while len(out) < 1700:
        t = list(rng.choice(seeds))
        for _ in range(rng.randint(1, 3)):
            op = rng.random()
            pos = rng.randint(0, len(t))
            if op < 0.35 and t:
                del t[min(pos, len(t) - 1)]
            elif op < 0.75:
                t.insert(pos, rng.choice(alphabet))
            elif t:
                t[min(pos, len(t) - 1)] = rng.choice(alphabet)
        out.add(''.join(t))
    return sorted(out)


def gen_timestamp():
    now = dt.datetime.now()
    cases = []
    for s in TS_CURATED + ts_fuzz():
        r = ts_result(s)
        cases.append({'text': s, **r})
    after = dt.datetime.now()
    if now.date() != after.date():
        sys.exit('date changed while generating; run again')
    write('timestamp.json', {'now': [now.year, now.month, now.day, now.hour, now.minute, now.second], 'cases': cases})


if __name__ == '__main__':
    os.makedirs(OUT, exist_ok=True)
    warnings.simplefilter('ignore')
    which = sys.argv[1:] or ['sort', 'timestamp']
    if 'sort' in which:
        gen_sort()
    if 'timestamp' in which:
        gen_timestamp()
