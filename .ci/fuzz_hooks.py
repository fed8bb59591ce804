"""Schemathesis hooks for ``.ci/fuzz`` (loaded through ``SCHEMATHESIS_HOOKS``).

Besides the cases the schema describes, about half of the generated cases carry what a hostile
client sends and a schema cannot describe:

- a lone surrogate (``"\\ud800"``: valid JSON, but no character) in one of a JSON body's
  strings or names;
- a JSON body nested deeper than any field;
- an integer past Python's integer-string limit (4,300 digits), or digits ``int()`` refuses,
  in a query parameter;
- ``If-Match`` values of each form RFC 9110 allows or forbids, with such an integer too.

The checks stay those of the run: no server error, no undocumented status code, no response
outside the schema. A bad value must get a documented 4xx.

Schemathesis cannot carry a lone surrogate itself (it validates and prints bodies as UTF-8):
the generated body holds a private-use character instead, and ``before_call`` sends the JSON
text with a surrogate's escape in its place. A reproduction command shows the stand-in.
"""

import json

import schemathesis
from hypothesis import strategies as st

HUGE_INTEGER = "9" * 4301
SURROGATE_STAND_IN = "\ue000"
SURROGATES = [SURROGATE_STAND_IN, f"a{SURROGATE_STAND_IN}", SURROGATE_STAND_IN * 2]
ODD_NUMBERS = [HUGE_INTEGER, f"-{HUGE_INTEGER}", "²", "1e9999", "١٢٣"]
IF_MATCH = [
    f'"{HUGE_INTEGER}"',
    f"{HUGE_INTEGER}",
    '"stale"',
    'W/"1"',
    '"1", "2", "3"',
    ', "1" ,,',
    "*",
    '"1", *',
    "1",
    '"1" "2"',
    '"a"b"',
    "",
]


def _is_json_object(case) -> bool:
    return isinstance(case.body, dict) and "json" in (case.media_type or "")


def _with(case, **containers):
    for name, value in containers.items():
        setattr(case, name, value)
    return case


def _surrogate(operation, case):
    """A lone surrogate in a string of the body (appended to a list), or in a name."""
    if not _is_json_object(case):
        return st.nothing()
    names = sorted(case.body) or ["note"]

    def put(choice):
        name, text, in_name = choice
        body = dict(case.body)
        if in_name:
            body[name + text] = "x"
        elif isinstance(body.get(name), list):
            body[name] = [*body[name], text]
        else:
            body[name] = text
        return _with(case, body=body)

    return st.tuples(st.sampled_from(names), st.sampled_from(SURROGATES), st.booleans()).map(put)


def _deep_nesting(operation, case):
    """One of the body's values wrapped in more lists than any field has levels."""
    if not _is_json_object(case):
        return st.nothing()
    names = sorted(case.body) or ["to_status"]

    def nest(choice):
        name, depth = choice
        value = case.body.get(name)
        for _ in range(depth):
            value = [value]
        return _with(case, body={**case.body, name: value})

    return st.tuples(st.sampled_from(names), st.integers(33, 200)).map(nest)


def _odd_numbers(operation, case):
    """A query parameter (IDs, page numbers, dates, ...) set to digits int() refuses or that
    no column holds."""
    names = sorted(parameter.name for parameter in operation.query)
    if not names:
        return st.nothing()

    def put(choice):
        name, value = choice
        return _with(case, query={**(case.query or {}), name: value})

    return st.tuples(st.sampled_from(names), st.sampled_from(ODD_NUMBERS)).map(put)


def _if_match(operation, case):
    if "If-Match" not in operation.headers:
        return st.nothing()

    def put(value):
        headers = case.headers.copy() if case.headers else {}
        headers["If-Match"] = value
        return _with(case, headers=headers)

    return st.sampled_from(IF_MATCH).map(put)


HOSTILE = [_surrogate, _deep_nesting, _odd_numbers, _if_match]
# Items of the fixtures .ci/fuzz loads: a body is read only once its item is found.
KNOWN_CODES = ["R01-1", "R05.1-2", "R13-1"]


def _known_item(case):
    """The case as generated, or aimed at an item that exists (when its path names one)."""
    if "code" not in (case.path_parameters or {}):
        return st.just(case)
    return st.one_of(
        st.just(case),
        st.sampled_from(KNOWN_CODES).map(
            lambda code: _with(case, path_parameters={**case.path_parameters, "code": code})
        ),
    )


@schemathesis.hook
def flatmap_case(context, case):
    def hostile(case):
        strategies = [strategy(context.operation, case) for strategy in HOSTILE]
        return st.one_of(st.just(case), st.one_of(*strategies))

    return _known_item(case).flatmap(hostile)


@schemathesis.hook
def before_call(context, case, kwargs):
    if not isinstance(case.body, dict | list) or "json" not in (case.media_type or ""):
        return
    text = json.dumps(case.body)  # escapes every non-ASCII character
    escape = json.dumps(SURROGATE_STAND_IN)[1:-1]
    if escape in text:
        kwargs["data"] = text.replace(escape, "\\ud800").encode()
