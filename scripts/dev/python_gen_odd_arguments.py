#!/usr/bin/env python3
"""Generate test/fixtures/fidelity/odd_arguments.json: randomized tool calls with odd arguments and raw bodies, answered
by NeMo Gym's own Python code (issue #14, "fidelity when the model sends odd arguments").

Every session is run against NeMo Gym's real tool modules and its real route handler (`app.py`,
`WorkbenchResourcesServer.route_to_python_function` / `seed_session`), served by FastAPI + Starlette through
Starlette's TestClient, with the same middleware and exception handling NeMo Gym installs in
`nemo_gym/server_utils.py` (`setup_session_middleware`, `setup_exception_middleware` → HTTP 500 with the JSON string
`repr(e)`, and the `RequestValidationError` handler that prints the errors and then answers 422). Only the modules
`app.py` imports from `nemo_gym` are stubbed (their import graph needs packages this machine cannot install); the
stubs reproduce just what the route uses. NeMo Gym's code is read from the folder given on the command line and
never copied.

Needs CPython 3.11 with pandas + numpy + fastapi + httpx (the only interpreter the local wheels support), e.g.
    python3.11 -m venv /tmp/gympy && /tmp/gympy/bin/pip install pandas==2.3.3 numpy==2.3.5 fastapi httpx itsdangerous
    mkdir /tmp/nemogym && git -C <NeMo Gym mirror> archive 07d6b0d07b22fcf530b4c211dae2ee23100428e4 \
        resources_servers/workplace_assistant | tar x -C /tmp/nemogym
    /tmp/gympy/bin/python scripts/dev/python_gen_odd_arguments.py --nemo-gym /tmp/nemogym --python313 python3.13

NeMo Gym runs on CPython 3.13. Where 3.11 and 3.13 differ on these paths, the 3.13 behaviour is reproduced:
  * `json.loads` / `json.dumps(indent=…)`: 3.13's C scanner and encoder recurse on the C stack (limit 10000), not on
    the Python recursion limit as 3.11's do, so the generator runs them with the Python limit lifted and raises
    3.13's RecursionError at the C limit instead;
  * a `RecursionError` raised by Python frames reads `maximum recursion depth exceeded` in 3.13;
  * `json.dumps(allow_nan=False)` says `Out of range float values are not JSON compliant: <repr>` in 3.13 (the
    repr is recomputed with the 3.13 interpreter given by --python313);
  * JSON decode errors are re-derived with 3.13's decoder (e.g. `Illegal trailing comma before end of object`);
  * unexpected-keyword TypeErrors get 3.13's `Did you mean` suggestion (the call is re-bound under 3.13);
  * 3.11 bounds `repr()` recursion by the Python limit where 3.13 prints lists nested thousands deep: sessions with
    such an answer are left out.
The TestClient's stack is shallower than uvicorn's, so `jsonable_encoder`'s recursion threshold differs by a few
levels from production (979 here, 984 under uvicorn with uvloop/httptools); the bodies keep away from it.
"""
import argparse
import base64
import hashlib
import json
import os
import random
import subprocess
import sys
import types
import warnings

warnings.simplefilter('ignore')

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_OUT = os.path.join(ROOT, 'test', 'fixtures', 'fidelity', 'odd_arguments.json')
NEMO_GYM_COMMIT = '07d6b0d07b22fcf530b4c211dae2ee23100428e4'

# CPython 3.13's C recursion budget for json's C scanner/encoder (Py_C_RECURSION_LIMIT on Linux release builds).
PY313_C_RECURSION_LIMIT = 10000


# ------------------------------------------------------------------------------------------ 3.13 json emulation

def nesting_depth_of_text(text):
    """Deepest container nesting of a JSON text (brackets outside strings), as json's scanner would recurse."""
    depth = best = 0
    in_string = escape = False
    for ch in text:
        if in_string:
            if escape:
                escape = False
            elif ch == '\\':
                escape = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in '[{':
            depth += 1
            best = max(best, depth)
        elif ch in ']}':
            depth -= 1
    return best


PY313 = 'python3.13'


def py313_json_decode_error(text):
    """(msg, pos) of the JSONDecodeError CPython 3.13 raises for `text`."""
    code = ('import json,sys\ns=sys.stdin.buffer.read().decode("utf-8","surrogatepass")\n'
            'try:\n json._default_decoder.decode(s)\nexcept json.JSONDecodeError as e:\n print(json.dumps([e.msg,e.pos]),end="")\n')
    out = subprocess.run([PY313, '-c', code], input=text.encode('utf-8', 'surrogatepass'), capture_output=True,
                         check=True).stdout
    return tuple(json.loads(out))


def install_py313_json():
    """Make `json.loads` / indented `json.dumps` behave like 3.13's C implementations for deep nesting."""
    real_loads = json.loads
    real_dumps = json.dumps

    def loads(s, *args, **kwargs):
        text = s.decode(json.detect_encoding(s), 'surrogatepass') if isinstance(s, (bytes, bytearray)) else s
        depth = nesting_depth_of_text(text) if isinstance(text, str) else 0
        if depth >= PY313_C_RECURSION_LIMIT:
            kind = 'array'
            raise RecursionError(f'maximum recursion depth exceeded while decoding a JSON {kind} from a unicode string')
        limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(limit, 4 * depth + 1000))
        try:
            return real_loads(s, *args, **kwargs)
        except json.JSONDecodeError:
            # 3.13 words some errors differently (e.g. `Illegal trailing comma before end of object`)
            msg, pos = py313_json_decode_error(text)
            raise json.JSONDecodeError(msg, text, pos) from None
        finally:
            sys.setrecursionlimit(limit)

    def dumps(obj, *args, **kwargs):
        limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(limit, 4 * PY313_C_RECURSION_LIMIT))
        try:
            return real_dumps(obj, *args, **kwargs)
        finally:
            sys.setrecursionlimit(limit)

    json.loads = loads
    json.dumps = dumps
    return real_dumps


# ------------------------------------------------------------------------------------------ NeMo Gym's app

def install_nemo_gym_stubs():
    """The names app.py imports from nemo_gym, reduced to what the tool route and seed_session use."""
    from fastapi import FastAPI
    from pydantic import BaseModel, ConfigDict

    base = types.ModuleType('nemo_gym.base_resources_server')

    class BaseResourcesServerConfig(BaseModel):
        name: str = 'workplace_assistant'

    class BaseSeedSessionRequest(BaseModel):
        pass

    class BaseSeedSessionResponse(BaseModel):
        pass

    class BaseVerifyRequest(BaseModel):
        model_config = ConfigDict(extra='allow')

    class BaseVerifyResponse(BaseVerifyRequest):
        reward: float = 0.0

    class SimpleResourcesServer(BaseModel):
        config: BaseResourcesServerConfig

        def setup_webserver(self):
            app = FastAPI()
            app.post('/seed_session')(self.seed_session)
            return app

    for name, value in list(locals().items()):
        if isinstance(value, type):
            setattr(base, name, value)
    utils = types.ModuleType('nemo_gym.server_utils')
    utils.SESSION_ID_KEY = 'session_id'
    package = types.ModuleType('nemo_gym')
    package.__path__ = []
    sys.modules['nemo_gym'] = package
    sys.modules['nemo_gym.base_resources_server'] = base
    sys.modules['nemo_gym.server_utils'] = utils


class RolloutContextPassThrough:
    """Stand-in for nemo_gym.rollout_correlation.RolloutContextMiddleware (a pure ASGI pass-through here)."""

    def __init__(self, app):
        self._app = app

    async def __call__(self, scope, receive, send):
        await self._app(scope, receive, send)


def build_app():
    from uuid import uuid4
    from fastapi import Request
    from fastapi.exception_handlers import request_validation_exception_handler
    from fastapi.exceptions import RequestValidationError
    from fastapi.responses import JSONResponse
    from starlette.middleware.sessions import SessionMiddleware
    from resources_servers.workplace_assistant.app import WorkbenchResourcesServer, WorkbenchResourcesServerConfig

    server = WorkbenchResourcesServer(config=WorkbenchResourcesServerConfig(name='workplace_assistant'))
    app = server.setup_webserver()
    key = 'WorkbenchResourcesServer___workplace_assistant'

    # setup_session_middleware (server_utils.py)
    @app.middleware('http')
    async def add_session_id(request: Request, call_next):
        request.session['session_id'] = request.session.get('session_id', str(uuid4()))
        return await call_next(request)

    app.add_middleware(SessionMiddleware, secret_key=key, session_cookie=key)
    app.add_middleware(RolloutContextPassThrough)

    # setup_exception_middleware (server_utils.py): any exception → 500 with the JSON string repr(e)
    @app.middleware('http')
    async def exception_handling_middleware(request: Request, call_next):
        try:
            return await call_next(request)
        except Exception as e:
            return JSONResponse(content=repr(e), status_code=500)

    # run_webserver's RequestValidationError handler: prints the errors and the body, then FastAPI's 422
    @app.exception_handler(RequestValidationError)
    async def validation_exception_handler(request: Request, exc):
        print(f'Hit validation exception! Errors: {json.dumps(exc.errors(), indent=4)}\n'
              f'Full body: {json.dumps(exc.body, indent=4)}\n', file=DEVNULL)
        return await request_validation_exception_handler(request, exc)

    return app


DEVNULL = open(os.devnull, 'w')
LONG_RESPONSE = 1500


# ------------------------------------------------------------------------------------------ values

TABLE_ROWS = {'email': 500, 'calendar': 300, 'analytics': 1000, 'project': 300, 'customer': 200, 'company': 20}

IDS = {
    'email_id': ['00000057', '00000373', '00000499', '500', '57', '00000000'],
    'event_id': ['00000013', '00000252', '00000299', '00000300', '13', '0000001\u00b2'],
    'task_id': ['00000149', '00000013', '00000299', '00000300', '149'],
    'customer_id': ['00000001', '00000199', '00000200', '00000042', '1'],
    'visitor_id': ['0860', '0002', '860', '9998'],
}
FIELDS = {
    'email': ['email_id', 'inbox/outbox', 'sender/recipient', 'subject', 'sent_datetime', 'body', 'nope'],
    'calendar': ['event_id', 'event_name', 'participant_email', 'event_start', 'duration', 'nope'],
    'project': ['task_id', 'task_name', 'assigned_to_email', 'list_name', 'due_date', 'board', 'nope'],
    'customer': ['customer_name', 'assigned_to_email', 'customer_email', 'customer_phone', 'last_contact_date',
                 'product_interest', 'status', 'notes', 'follow_up_by', 'customer_id', 'nope'],
}
WORDS = ['sync', 'kofi', 'Nadia', 'a', 'an', '.', 'won', 'lead', 'Design', 'Back end', 'Backlog', '2023-12-1',
         'raj.patel@atlas.com', 'lena', 'software', 'meeting', 'zzzz', '', ' ', 'C++', '[a', '(', 'a)', '\\', '*',
         'Lost', 'In Review', 'Training', 'update', 'report', 'review', 'x@y.com', 'Qualified']
DATES = ['2023-11-01', '2023-12-01', '2023-11-30', '2023-10-01 23:59:00', '2023-12-01 10:00', '2023-12-01T10:00:00',
         '12/01/2023', 'Dec 1 2023', '2023', '2023-12', '20231201', 'garbage', '2023-13-01', '2023-02-30',
         '2023-12-01 25:00', '1701424800', 'NaN', 'nan', 'NaT', 'nat', 'None', '0', '0000', '0000-01-01',
         '-0001-01-01', '\u00b2', '\u0662\u0660\u0662\u0663', '10000-01-01', '12345', '123456', '-1', '1', '  ',
         'Friday', '2023-12-01Z', '2023-12-01T10:00:00+02:00', 'inf', '1e5', '2023-W48', '0001-01-01',
         '1677-09-21', '2262-04-12', '9999-12-31', '1677-09-21 00:12:43.145224192', '2262-04-11 23:47:16.854775807',
         '2262-04-11 23:47:16.854775808', '1677-09-21 00:12:43.145224191']
SURROGATES = ['\ud83d', '\ude00', '\ud800', '\udfff', '\udbff\udbff']
UNICODE_BITS = ['\u00e9', '\u00c9', '\u00df', '\u0130', '\u0131', '\u017f', '\u212a', '\u03a3', '\U0001F600', '\u2028',
                '\u00b2', '\u0662', '\u0301', '\ufeff', '\u200b', '\x00', '\x01', '\x7f', '\u00a0', '\u3000', '\uffff',
                '\U0010ffff', 'ﬃ', 'İ']


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)

    def choice(self, xs):
        return xs[self.r.randrange(len(xs))]

    def chance(self, p):
        return self.r.random() < p

    # --- scalars
    def int_value(self):
        return self.choice([0, 1, -1, 2, 3, 5, 7, 10, 57, 100, -5, 2 ** 31, 2 ** 53, 2 ** 53 + 1, 2 ** 63 - 1,
                            2 ** 63, -2 ** 63, -2 ** 63 - 1, 2 ** 64, 10 ** 20, 12345678901234567890123,
                            1701424800, 1701424800000000000, -1701424800000000000, 9223372036854775807,
                            20231201, 13, 300, 500, 1000])

    def float_value(self):
        return self.choice([0.0, -0.0, 1.0, 2.0, 0.5, 2.5, -1.5, 1e20, 1e16, 1e-7, 3.7, 1.5e300, -1e20,
                            float('inf'), float('-inf'), float('nan'), 9.223372036854776e18, 1701424800.5, 5.0,
                            1e308, 123456789.123])

    def text(self):
        kind = self.r.randrange(6)
        if kind == 0:
            return self.choice(WORDS)
        if kind == 1:
            return self.choice(DATES)
        if kind == 2:
            base = self.choice(WORDS + ['email_id', 'subject'])
            pos = self.r.randrange(len(base) + 1)
            return base[:pos] + self.choice(SURROGATES) + base[pos:]
        if kind == 3:
            return ''.join(self.choice(UNICODE_BITS + ['a', 'B', '1', ' ']) for _ in range(self.r.randrange(1, 6)))
        if kind == 4:
            return self.choice(['True', 'False', 'None', '[]', '{}', '0', '1', '1.0', ' 45 ', '+45', '4_5', '1.5',
                                'abc', '\u00b2', '\u0665', '60', '-30', '0x10', '1e3', '  7\n'])
        return self.choice(sum(IDS.values(), []))

    def nested_list(self):
        kind = self.r.randrange(12)
        leaf = self.choice(['a', 1, '00000057', None, 2.5, True, [], {}])
        if kind == 0:
            return []
        if kind == 1:
            return [[]]
        if kind == 2:
            return [[[]]]
        if kind == 3:
            depth = self.choice([2, 3, 5, 10, 63, 64, 65, 100])
            v = leaf
            for _ in range(depth):
                v = [v]
            return v
        if kind == 4:
            return [[1, 2], [3]]  # ragged
        if kind == 5:
            return [self.text() for _ in range(self.r.randrange(1, 4))]
        if kind == 6:
            return [{'k': 'v'}]
        if kind == 7:
            return [[{'k': 'v'}]]
        if kind == 8:
            n = self.choice([1, 2, 3, 4])
            return [[leaf] * n for _ in range(self.choice([1, 2]))]
        if kind == 9:
            return [[], []]
        if kind == 10:
            return [['a'], 'b']
        return [leaf, [leaf, leaf]]

    def dict_value(self):
        return self.choice([{}, {'a': 1}, {'k': 'v'}, {'a': [1, 2]}, {'email_id': '00000057'}, {'0': 'x', '1': 'y'},
                            {'a': {'b': None}}, {'': ''}])

    def any_value(self):
        kind = self.r.randrange(9)
        return [self.int_value, self.float_value, lambda: self.choice([True, False]), lambda: None, self.text,
                self.text, self.nested_list, self.dict_value, self.nested_list][kind]()


# ------------------------------------------------------------------------------------------ tools

def tool_parameters():
    from resources_servers.workplace_assistant.utils import get_tools
    env = get_tools(['email', 'calendar', 'analytics', 'project_management', 'customer_relationship_manager'])
    return {s['name']: list(s['parameters']['properties']) for s in env['schemas']}


def table_of(tool):
    for prefix, table in (('email_', 'email'), ('calendar_', 'calendar'), ('analytics_', 'analytics'),
                          ('project_management_', 'project'), ('customer_relationship_manager_', 'customer'),
                          ('company_', 'company')):
        if tool.startswith(prefix):
            return table
    raise KeyError(tool)


REGEX_ARGS = {
    'company_directory_find_email_address': ['name'],
    'calendar_search_events': ['query'],
    'project_management_search_tasks': ['task_name', 'list_name', 'due_date', 'board'],
    'customer_relationship_manager_search_customers': ['customer_name', 'customer_email', 'product_interest', 'status',
                                                       'assigned_to_email'],
}
DATE_ARGS = {
    'email_search_emails': ['date_min', 'date_max'],
    'calendar_search_events': ['time_min', 'time_max'],
    'calendar_create_event': ['event_start'],
    'analytics_total_visits_count': ['time_min', 'time_max'],
    'analytics_engaged_users_count': ['time_min', 'time_max'],
    'analytics_traffic_source_count': ['time_min', 'time_max'],
    'analytics_get_average_session_duration': ['time_min', 'time_max'],
    'analytics_create_plot': ['time_min', 'time_max'],
    'customer_relationship_manager_search_customers': ['last_contact_date_min', 'last_contact_date_max',
                                                       'follow_up_by_min', 'follow_up_by_max'],
}
PAGED = ['email_search_emails', 'calendar_search_events', 'customer_relationship_manager_search_customers']
ID_ARGS = {
    'email_get_email_information_by_id': 'email_id', 'email_delete_email': 'email_id', 'email_forward_email': 'email_id',
    'email_reply_email': 'email_id', 'calendar_get_event_information_by_id': 'event_id',
    'calendar_delete_event': 'event_id', 'calendar_update_event': 'event_id',
    'analytics_get_visitor_information_by_id': 'visitor_id', 'project_management_get_task_information_by_id': 'task_id',
    'project_management_delete_task': 'task_id', 'project_management_update_task': 'task_id',
    'customer_relationship_manager_update_customer': 'customer_id',
    'customer_relationship_manager_delete_customer': 'customer_id',
}


def plausible(g, tool, param):
    """A well-formed value for a parameter, so that later checks are reached."""
    table = table_of(tool)
    if param in IDS:
        return g.choice(IDS[param])
    if param == 'field':
        return g.choice(FIELDS.get(table, ['nope']))
    if param in ('page',):
        return g.choice([1, 2, 3])
    if param == 'page_size':
        return g.choice([1, 2, 5, 10])
    if param in ('recipient', 'participant_email', 'assigned_to_email', 'customer_email'):
        return g.choice(['raj.patel@atlas.com', 'Lena.Schmidt@Atlas.com', 'x@y.com', 'aisha.chen@atlas.com'])
    if param in ('time_min', 'time_max', 'date_min', 'date_max', 'event_start', 'last_contact_date_min',
                 'last_contact_date_max', 'follow_up_by_min', 'follow_up_by_max', 'due_date', 'last_contact_date',
                 'follow_up_by'):
        return g.choice(['2023-11-01', '2023-12-01', '2023-11-25', '2023-12-05 10:00:00'])
    if param == 'duration':
        return g.choice(['30', '60', '45'])
    if param == 'value_to_plot':
        return g.choice(['total_visits', 'user_engaged'])
    if param == 'plot_type':
        return g.choice(['bar', 'line'])
    if param == 'list_name':
        return g.choice(['Backlog', 'In Review'])
    if param == 'board':
        return g.choice(['Design', 'Back end'])
    if param == 'status':
        return g.choice(['Won', 'Lead'])
    if param == 'product_interest':
        return g.choice(['Software', 'Training'])
    if param == 'traffic_source':
        return g.choice(['direct', 'referral'])
    if param == 'new_value':
        return g.choice(['Design', 'Backlog', 'raj.patel@atlas.com', '2023-12-05 10:00:00', '60', 'Won', 'new name'])
    if param == 'name':
        return g.choice(['nadia', 'a', 'raj'])
    return g.choice(['sync', 'kofi', 'meeting', 'Hello', 'review', 'lena'])


# ------------------------------------------------------------------------------------------ case generation

def dumps_body(args):
    """The body as the agent would post it (compact JSON; NaN/Infinity and lone surrogates as Python writes them)."""
    return json.dumps(args, separators=(',', ':'), ensure_ascii=True)


def call(tool, args):
    return {'tool': tool, 'body': dumps_body(args)}


def raw_call(tool, body_bytes):
    return {'tool': tool, 'raw': body_bytes}


def gen_type_confusion(g, params):
    tool = g.choice(sorted(params))
    args = {}
    for p in params[tool]:
        roll = g.r.random()
        if roll < 0.45:
            args[p] = plausible(g, tool, p)
        elif roll < 0.9:
            args[p] = g.any_value()
    return [call(tool, args)]


def gen_regex_non_string(g, params):
    tool = g.choice(sorted(REGEX_ARGS))
    args = {}
    for p in params[tool]:
        if g.chance(0.3):
            args[p] = plausible(g, tool, p)
    target = g.choice(REGEX_ARGS[tool])
    args[target] = g.choice([['a'], [], {'a': 1}, {}, [['a']], 5, 0, 2.5, True, False, [1, 2], {'k': 'v'}, 10 ** 20,
                             float('nan'), float('inf'), '', 'a', [{'a': 1}]])
    if g.chance(0.3):
        other = g.choice(REGEX_ARGS[tool])
        args[other] = g.choice([['b'], {'b': 2}, '(', 'a'])
    return [call(tool, args)]


def gen_unicode(g, params):
    tool = g.choice(sorted(params))
    args = {p: plausible(g, tool, p) for p in params[tool] if g.chance(0.6)}
    for p in params[tool]:
        if g.chance(0.5):
            base = args.get(p) if isinstance(args.get(p), str) else g.choice(WORDS)
            pos = g.r.randrange(len(base) + 1)
            bit = g.choice(SURROGATES + UNICODE_BITS)
            args[p] = base[:pos] + bit + base[pos:]
    return [call(tool, args)]


def gen_dates(g, params):
    tool = g.choice(sorted(DATE_ARGS))
    args = {p: plausible(g, tool, p) for p in params[tool] if g.chance(0.5)}
    if tool == 'email_search_emails' and g.chance(0.5):
        args['query'] = g.choice(['kofi', 'zzzz', '', 'meeting'])
    for p in DATE_ARGS[tool]:
        if g.chance(0.7):
            args[p] = g.choice([g.choice(DATES), g.choice(DATES), g.int_value(), g.float_value(), True, False,
                                g.nested_list(), g.dict_value()])
    return [call(tool, args)]


def gen_pagination(g, params):
    tool = g.choice(PAGED)
    args = {}
    if tool == 'email_search_emails':
        args['query'] = g.choice(['kofi', 'zzzz', '', 'meeting', 'aisha.chen@atlas.com'])
    elif tool == 'calendar_search_events':
        args['query'] = g.choice(['sync', 'zzzz', '', 'a'])
    else:
        args[g.choice(['customer_name', 'status', 'assigned_to_email'])] = g.choice(['zzzz', 'won', 'raj', 'a', '.'])
    odd = [0, -1, -2, 1, 2, 3, 100, 1.0, 2.0, 0.5, -0.0, 2.5, True, False, None, '1', '2', '\u00b2', 'a',
           float('inf'), float('-inf'), float('nan'), 10 ** 20, 2 ** 63, -(2 ** 63), 12345678901234567890123, [],
           [1], {}, {'a': 1}, 1e20, -1e20]
    if g.chance(0.8):
        args['page'] = g.choice(odd)
    if g.chance(0.8):
        args['page_size'] = g.choice(odd)
    return [call(tool, args)]


def gen_nested_ids(g, params):
    tool = g.choice(sorted(ID_ARGS) + ['email_search_emails', 'calendar_search_events', 'analytics_total_visits_count',
                                       'analytics_traffic_source_count', 'customer_relationship_manager_search_customers',
                                       'project_management_search_tasks', 'calendar_create_event'])
    args = {p: plausible(g, tool, p) for p in params[tool] if g.chance(0.7)}
    targets = [ID_ARGS[tool]] if tool in ID_ARGS else list(DATE_ARGS.get(tool, [])) + REGEX_ARGS.get(tool, [])
    if tool == 'analytics_traffic_source_count':
        targets.append('traffic_source')
    target = g.choice(targets)
    kind = g.r.randrange(10)
    if kind < 7:
        args[target] = g.nested_list()
    elif kind == 7:
        args[target] = g.choice([[{'k': 'v'}], [{'k': 'v'}, {'a': 1}], [{}], [[{}]]])
    else:
        # a list as long as the table: numpy compares element-wise
        n = TABLE_ROWS[table_of(tool)]
        n = g.choice([n, n, n - 1])
        sample = plausible(g, tool, target)
        args[target] = [sample if g.chance(0.05) else g.choice(['x', 1, None]) for _ in range(n)]
    return [call(tool, args)]


def read_after(g, tool, args):
    table = table_of(tool)
    id_param = {'calendar': 'event_id', 'project': 'task_id', 'customer': 'customer_id', 'email': 'email_id'}[table]
    the_id = args.get(id_param)
    reads = {
        'calendar': [('calendar_get_event_information_by_id', {'event_id': the_id, 'field': args.get('field')}),
                     ('calendar_search_events', {'query': g.choice(['', 'sync', 'a'])})],
        'project': [('project_management_get_task_information_by_id', {'task_id': the_id, 'field': args.get('field')}),
                    ('project_management_search_tasks', {'task_name': g.choice(['a', 'e'])})],
        'customer': [('customer_relationship_manager_search_customers', {'customer_id': None, 'status': 'o'}),
                     ('customer_relationship_manager_search_customers', {'customer_name': g.choice(['a', 'e'])})],
        'email': [('email_search_emails', {'query': ''})],
    }[table]
    out = []
    for name, rargs in reads:
        rargs = {k: v for k, v in rargs.items() if v is not None or g.chance(0.1)}
        out.append(call(name, rargs))
    return out


def gen_cell_values(g, params):
    tool = g.choice(['calendar_update_event', 'project_management_update_task', 'customer_relationship_manager_update_customer'])
    table = table_of(tool)
    args = {p: plausible(g, tool, p) for p in params[tool]}
    if tool == 'calendar_update_event':
        args['field'] = g.choice(['event_name', 'participant_email', 'event_start', 'duration'])
    elif tool == 'project_management_update_task':
        args['field'] = g.choice(['task_name', 'due_date', 'task_id', 'board', 'list_name', 'assigned_to_email'])
    else:
        args['field'] = g.choice(['customer_name', 'notes', 'customer_phone', 'status', 'customer_id', 'follow_up_by'])
    args['new_value'] = g.choice([['@', '.'], ['x'], ['a', 'b'], [['x']], [[]], [1], [1, 2, 3], {'a': 1}, {'a': 'b', 'c': 'd'},
                                  {}, [{'k': 'v'}], 5, 2.5, True, float('nan'), float('inf'), [None], ['x'] * 3,
                                  ['x'] * TABLE_ROWS[table], {'0': 'zero'}, [[1, 2]]])
    if g.chance(0.3):
        args[ID_ARGS[tool]] = g.choice(IDS[ID_ARGS[tool]] + [[IDS[ID_ARGS[tool]][0]]])
    calls = [call(tool, args)]
    calls += read_after(g, tool, args)
    return calls


def deep_list(depth, leaf='x'):
    v = leaf
    for _ in range(depth):
        v = [v]
    return v


def odd_cell_value(g):
    return g.choice([['a'], ['a', 'b'], [], [[]], {'a': 1}, {}, [{'k': 'v'}], 5, 2.5, True, float('nan'),
                     float('inf'), 10 ** 20, deep_list(g.choice([100, 200, 250, 252, 253, 254, 255, 256, 300])),
                     [None], 'x\ud83d', [1, [2, [3]]]])


def gen_created_values(g, params):
    """Creates and updates that store odd values (lists, dicts, deep nesting), then reads that show them."""
    tool = g.choice(['calendar_create_event', 'project_management_create_task', 'customer_relationship_manager_add_customer',
                     'email_send_email', 'analytics_create_plot', 'calendar_update_event', 'project_management_update_task',
                     'customer_relationship_manager_update_customer'])
    args = {p: plausible(g, tool, p) for p in params[tool]}
    if tool == 'project_management_create_task':
        args['assigned_to_email'] = 'lena.schmidt@atlas.com'
    if tool.endswith('_update_event') or tool.endswith('_update_task') or tool.endswith('_update_customer'):
        args['field'] = g.choice({'calendar_update_event': ['event_name', 'participant_email'],
                                  'project_management_update_task': ['task_name', 'due_date'],
                                  'customer_relationship_manager_update_customer': ['customer_name', 'notes']}[tool])
        args['new_value'] = odd_cell_value(g)
    else:
        candidates = [p for p in params[tool] if p not in ('assigned_to_email', 'list_name', 'board', 'status', 'value_to_plot',
                                                            'plot_type', 'duration', 'event_start', 'recipient')]
        for p in g.r.sample(candidates, k=min(len(candidates), g.choice([1, 2]))):
            args[p] = odd_cell_value(g)
    calls = [call(tool, args)]
    reads = {
        'calendar': [('calendar_search_events', {'query': ''}), ('calendar_get_event_information_by_id',
                                                                {'event_id': args.get('event_id', '00000300'), 'field': 'event_name'})],
        'project': [('project_management_get_task_information_by_id', {'task_id': args.get('task_id', '00000300'),
                                                                       'field': g.choice(['task_name', 'due_date'])}),
                    ('project_management_search_tasks', {'assigned_to_email': 'lena.schmidt@atlas.com'})],
        'customer': [('customer_relationship_manager_search_customers', {'assigned_to_email': 'raj', 'page': 8, 'page_size': 5})],
        'email': [('email_search_emails', {'query': '', 'page_size': 1})],
        'analytics': [('analytics_create_plot', {'time_min': '2023-11-01', 'time_max': '2023-11-02',
                                                 'value_to_plot': 'total_visits', 'plot_type': 'bar'})],
    }[table_of(tool)]
    for name, rargs in reads:
        calls.append(call(name, rargs))
    return calls


WRITE_TOOLS = ['email_send_email', 'email_delete_email', 'email_forward_email', 'email_reply_email', 'calendar_create_event',
               'calendar_delete_event', 'calendar_update_event', 'analytics_create_plot', 'project_management_create_task',
               'project_management_delete_task', 'project_management_update_task',
               'customer_relationship_manager_update_customer', 'customer_relationship_manager_add_customer',
               'customer_relationship_manager_delete_customer']


def gen_session(g, params):
    calls = []
    for _ in range(g.r.randrange(2, 7)):
        tool = g.choice(WRITE_TOOLS) if g.chance(0.6) else g.choice(sorted(params))
        args = {}
        for p in params[tool]:
            roll = g.r.random()
            if roll < 0.7:
                args[p] = plausible(g, tool, p)
            elif roll < 0.85:
                args[p] = g.any_value()
        calls.append(call(tool, args))
    return calls


def gen_body(g, params):
    """Raw bodies: BOM, NaN/Infinity, deep nesting, lone surrogates, bad encodings, stray bytes."""
    tool = g.choice(sorted(params))
    args = {p: plausible(g, tool, p) for p in params[tool] if g.chance(0.6)}
    text = dumps_body(args)
    kind = g.r.randrange(16)
    if kind == 0:
        body = b'\xef\xbb\xbf' + text.encode()
    elif kind == 1:
        body = g.choice([b'NaN', b'Infinity', b'-Infinity', b'[NaN]', b'[1,Infinity]', b'{"a":[NaN]}', b' NaN ',
                         b'\xef\xbb\xbfNaN', b'[{"x":-Infinity}]', b'"NaN"', b'nan', b'[[NaN]]'])
    elif kind == 2:
        depth = g.choice([2, 50, 100, 254, 255, 256, 300, 500, 1500, 3000, 5000, 9000, 10001, 10500])
        opener, closer = g.choice([('[', ']'), ('{"a":', '}'), ('[{"a":', '}]')])
        inner = g.choice(['', '1', '"x"', 'null'])
        if opener == '[' and inner == '':
            body = ('[' * depth + ']' * depth).encode()
        else:
            body = (opener * depth + (inner or '1') + closer * depth).encode()
    elif kind == 3:
        depth = g.choice([2, 10, 63, 64, 65, 100, 200, 254, 255, 256, 400, 1500, 3000])
        target = g.choice(params[tool]) if params[tool] else 'x'
        body = ('{"%s":' % target + '[' * depth + g.choice(['', '"a"', '1']) + ']' * depth + '}').encode()
    elif kind == 4:
        target = g.choice(params[tool]) if params[tool] else 'field'
        s = g.choice(['x\\ud83demail_id', '\\ud83d', '\\udfff', 'a\\ud800b', '\\ud83d\\ude00', '\\ude00\\ud83d',
                      '\\udbff\\udbff', 'email_id\\udc80'])
        args2 = dict(args)
        args2[target] = '@@@'
        body = dumps_body(args2).replace('"@@@"', '"' + s + '"').encode()
    elif kind == 5:
        body = g.choice([b'{"a":"\xed\xa0\xbd"}', b'{"query":"\xff"}', b'{"query":"caf\xc3"}', b'\xc3\x28', b'{"x":"\xe9"}',
                         b'{"field":"\xed\xb2\x80"}'])
    elif kind == 6:
        body = text.encode(g.choice(['utf-16', 'utf-16-le', 'utf-16-be', 'utf-32', 'utf-32-le', 'utf-32-be']))
    elif kind == 7:
        body = g.choice([b'', b' ', b'\n', b'null', b'{}', b'[]', b'""', b'1', b'true', b'{"a":1}x', b'{"a":1,}', b'{',
                         b'\xef\xbb\xbf', b'\xef\xbb\xbf{}', b'\xef\xbb\xbf\xef\xbb\xbf{}', b'\xfe\xff', b'{}\x00'])
    elif kind == 8:
        body = b'\xef\xbb\xbf' + g.choice([b'[1,2]', b'"abc"', b'null', b'{"page":NaN}', b' {}', b'{"query":"\xc3\xa9"}'])
    elif kind == 9:
        args2 = dict(args)
        args2[g.choice(params[tool] or ['x'])] = g.choice([float('nan'), float('inf'), float('-inf')])
        body = dumps_body(args2).encode()
    elif kind == 10:
        body = ('{"' + g.choice(['a', 'é', '\\ud83d', 'x\\u0000', '__proto__', 'self']) + '":1}').encode()
    elif kind == 11:
        body = (text[:-1] + (',' if len(args) else '') + '"dup":1,"dup":2}').encode() if text.endswith('}') else text.encode()
    elif kind == 12:
        body = g.choice([b'[1,2]', b'"abc"', b'123', b'1.5', b'true', b'false', b'[{"a":1}]', b'{"a":[1,{"b":2}]}',
                         b'1e400', b'-0', b'12345678901234567890123', b'[1e400]'])
    elif kind == 13:
        body = ('{"query":' + '1' * g.choice([10, 30, 4300, 4301]) + '}').encode()
    elif kind == 14:
        body = (' \t\r\n' + text + ' \n').encode()
    else:
        body = text.encode()
    return [raw_call(tool, body)]


CLASSES = [
    ('type_confusion', gen_type_confusion, 500),
    ('regex_non_string', gen_regex_non_string, 160),
    ('unicode', gen_unicode, 200),
    ('dates', gen_dates, 300),
    ('pagination', gen_pagination, 250),
    ('nested_ids', gen_nested_ids, 250),
    ('cell_values', gen_cell_values, 160),
    ('sessions', gen_session, 150),
    ('body', gen_body, 320),
    ('created_values', gen_created_values, 200),
]


# ------------------------------------------------------------------------------------------ running

def py313_json_dump_error(content_text, python313):
    """The 3.13 text of json.dumps(allow_nan=False) failing on `content` (given as Python-json text)."""
    code = ('import json,sys\nv=json.loads(sys.stdin.read())\n'
            'try:\n json.dumps(v,ensure_ascii=False,allow_nan=False,separators=(",",":"))\n'
            'except ValueError as e:\n print(repr(e),end="")\n')
    return subprocess.run([python313, '-c', code], input=content_text, capture_output=True, text=True, check=True).stdout


def py313_keyword_error(app, tool, body, text, python313):
    """Python 3.13 adds `. Did you mean '…'?` to unexpected-keyword TypeErrors: rebind the call under 3.13."""
    import inspect
    from resources_servers.workplace_assistant.utils import get_tools
    method = get_tools(['email', 'calendar', 'analytics', 'project_management', 'customer_relationship_manager'])['functions'][tool]
    names = list(inspect.signature(method).parameters)
    cls, meth = method.__qualname__.split('.')
    keys = [k for k, v in body.items() if v is not None]
    code = ('import json,sys\nnames,keys=json.loads(sys.stdin.read())\n'
            f'src="class {cls}:\\n def {meth}(self,"+",".join(n+"=None" for n in names)+"): pass\\n"\n'
            'ns={}\nexec(src,ns)\n'
            f'try:\n ns["{cls}"]().{meth}(**{{k: None for k in keys}})\n'
            'except TypeError as e:\n print(str(e),end="")\n')
    message = subprocess.run([python313, '-c', code], input=json.dumps([names, keys]), capture_output=True, text=True,
                             check=True).stdout
    return json.dumps({'output': f"Error executing tool '{tool}': {message}"}, ensure_ascii=False, separators=(',', ':'))


def run_sessions(app, sessions, python313):
    from fastapi.testclient import TestClient
    from fastapi.encoders import jsonable_encoder
    import resources_servers.workplace_assistant.app  # noqa: F401
    out = []
    for session in sessions:
        client = TestClient(app, raise_server_exceptions=False)
        seeded = client.post('/seed_session', content=b'{}', headers={'content-type': 'application/json'})
        assert seeded.status_code == 200, seeded.text
        calls = []
        for c in session['calls']:
            body = c['raw'] if 'raw' in c else c['body'].encode('ascii')
            response = client.post('/' + c['tool'], content=body, headers={'content-type': 'application/json'})
            text = response.content.decode('utf-8', 'surrogateescape')
            status = response.status_code
            if status == 500 and 'Out of range float values are not JSON compliant' in text:
                # Rebuild the 3.13 message: the first non-finite float json.dumps meets in {"detail": errors}
                value = json.loads(body)
                detail = {'detail': [{'type': 'model_attributes_type', 'loc': ['body'],
                                      'msg': 'Input should be a valid dictionary or object to extract fields from',
                                      'input': value}]}
                text = json.dumps(py313_json_dump_error(json.dumps(detail), python313), ensure_ascii=False,
                                  separators=(',', ':'))
            if status == 200 and 'got an unexpected keyword argument' in text:
                text = py313_keyword_error(app, c['tool'], json.loads(body), text, python313)
            if status == 500 and 'RecursionError(' in text:
                text = json.dumps(repr(RecursionError('maximum recursion depth exceeded')))
            entry = {'tool': c['tool']}
            try:
                entry['body'] = body.decode('utf-8')
            except UnicodeDecodeError:
                entry['bodyBase64'] = base64.b64encode(body).decode()
            entry['status'] = status
            try:
                response.content.decode('utf-8')
            except UnicodeDecodeError:
                entry['responseBase64'] = base64.b64encode(response.content).decode()
            else:
                if len(text) > LONG_RESPONSE:
                    # Long answers (search results) are kept as a digest of their UTF-8 bytes to keep the fixture small.
                    entry['responseSha256'] = hashlib.sha256(text.encode('utf-8')).hexdigest()
                    entry['responseHead'] = text[:120]
                else:
                    entry['response'] = text
            calls.append(entry)
        # 3.11 bounds repr() recursion by the Python limit, 3.13 by the C stack (it prints lists nested thousands
        # deep): such answers are not 3.13's, so the session is left out.
        if any('maximum recursion depth exceeded while getting the repr' in (c.get('response') or '') for c in calls):
            continue
        out.append({'class': session['class'], 'calls': calls})
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--nemo-gym', required=True, help='folder holding resources_servers/workplace_assistant')
    parser.add_argument('--python313', default='python3.13')
    parser.add_argument('--out', default=DEFAULT_OUT)
    parser.add_argument('--seed', type=int, default=14)
    args = parser.parse_args()
    sys.path.insert(0, os.path.abspath(args.nemo_gym))
    global PY313
    PY313 = args.python313
    install_py313_json()
    install_nemo_gym_stubs()
    app = build_app()
    params = tool_parameters()
    g = Gen(args.seed)
    sessions = []
    for name, make, count in CLASSES:
        for _ in range(count):
            sessions.append({'class': name, 'calls': make(g, params)})
    results = run_sessions(app, sessions, args.python313)
    import fastapi, numpy, pandas, pydantic, pydantic_core, starlette
    header = {
        'generator': 'scripts/dev/python_gen_odd_arguments.py',
        'seed': args.seed,
        'python': sys.version.split()[0],
        'python313': subprocess.run([args.python313, '-c', 'import sys;print(sys.version.split()[0],end="")'],
                                    capture_output=True, text=True, check=True).stdout,
        'pandas': pandas.__version__, 'numpy': numpy.__version__, 'fastapi': fastapi.__version__,
        'starlette': starlette.__version__, 'pydantic': pydantic.VERSION, 'pydantic_core': pydantic_core.__version__,
        'nemo_gym_commit': NEMO_GYM_COMMIT,
    }
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, 'w', encoding='utf-8') as f:
        f.write(json.dumps({**header, 'sessions': results}, ensure_ascii=True, separators=(',', ':')))
        f.write('\n')
    counts = {}
    for s in results:
        counts[s['class']] = counts.get(s['class'], 0) + 1
    print(args.out, os.path.getsize(args.out), counts)


if __name__ == '__main__':
    main()
