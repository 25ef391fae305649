"""Every error code is declared once in service/errors.py with its HTTP status, and every code the
service or the loaders raise (REST or GraphQL) is one of those declarations."""

from __future__ import annotations

import ast
import importlib
import pkgutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from graphql import GraphQLError

import loaders
import service
from service import errors
from service.api.errors import code_of, format_error
from service.errors import AllianceError, ErrorCode

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted([*(ROOT / "service").rglob("*.py"), *(ROOT / "loaders").rglob("*.py")])


def _all_modules() -> None:
    for package in (service, loaders):
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            importlib.import_module(info.name)


def _subclasses(cls: type[AllianceError]) -> Iterator[type[AllianceError]]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_each_code_is_its_own_name_with_an_error_status() -> None:
    for code in ErrorCode:
        assert code.value == code.name
        assert 400 <= code.status < 600, code
    assert len({c.value for c in ErrorCode}) == len(ErrorCode)


@pytest.mark.parametrize(("status", "code"), [
    (400, "BAD_REQUEST"), (401, "UNAUTHENTICATED"), (403, "FORBIDDEN"), (404, "NOT_FOUND"),
    (405, "METHOD_NOT_ALLOWED"), (409, "CONFLICT"), (413, "OVER_LIMIT"), (422, "VALIDATION"), (500, "INTERNAL"),
    (503, "STORE_UNAVAILABLE"), (418, "BAD_REQUEST"), (502, "INTERNAL"),
])
def test_a_bare_status_takes_the_general_code(status: int, code: str) -> None:
    assert ErrorCode.for_status(status) is ErrorCode[code]


def test_every_error_class_carries_a_declared_code() -> None:
    _all_modules()  # subclasses defined anywhere (loaders, limits, web) register themselves
    classes: list[type[AllianceError]] = [AllianceError, *_subclasses(AllianceError)]
    assert {c.__name__ for c in classes} >= {"NotFound", "ValidationFailed", "Unauthenticated", "Forbidden",
                                            "OverLimit", "StoreUnavailable", "FileRejected", "PagesNotBuilt"}
    for cls in classes:
        assert isinstance(cls.code, ErrorCode), f"{cls.__module__}.{cls.__name__}.code is {cls.code!r}"


def _literal_codes() -> Iterator[str]:
    """Where a code could be spelled as text outside service/errors.py: a class's `code = "..."`, a
    `{"code": "..."}` body, an HTTPException's detail, or a bare ErrorCode("...") lookup."""
    for path in SOURCES:
        where = path.relative_to(ROOT)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                for stmt in node.body:
                    if (isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "code"
                                                             for t in stmt.targets)
                            and isinstance(stmt.value, ast.Constant)):
                        yield f"{where}:{stmt.lineno} class {node.name}: code = {stmt.value.value!r}"
            elif isinstance(node, ast.Dict):
                for key, value in zip(node.keys, node.values, strict=True):
                    if isinstance(key, ast.Constant) and key.value == "code" and isinstance(value, ast.Constant):
                        yield f"{where}:{node.lineno} {{'code': {value.value!r}}}"
            elif isinstance(node, ast.Call):
                name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
                if name == "HTTPException":
                    yield f"{where}:{node.lineno} raises HTTPException (raise a service.errors error instead)"
                if name == "ErrorCode" and any(isinstance(a, ast.Constant) for a in node.args):
                    yield f"{where}:{node.lineno} ErrorCode({ast.unparse(node.args[0])})"


def test_no_code_is_spelled_outside_the_declaration() -> None:
    assert list(_literal_codes()) == []


def test_every_errorcode_member_named_in_the_source_is_declared() -> None:
    named = {(p.relative_to(ROOT), n.lineno, n.attr) for p in SOURCES
             for n in ast.walk(ast.parse(p.read_text(encoding="utf-8")))
             if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id == "ErrorCode"}
    methods = {"for_status"}
    assert [f"{p}:{line} ErrorCode.{attr}" for p, line, attr in sorted(named)
            if attr not in ErrorCode.__members__ and attr not in methods] == []


@pytest.mark.parametrize("cls", [errors.NotFound, errors.ValidationFailed, errors.UnknownLabel, errors.AlreadyClaimed,
                                 errors.IllegalState, errors.Conflict, errors.Forbidden, errors.Unauthenticated,
                                 errors.OverLimit, errors.StoreUnavailable])
def test_graphql_errors_carry_the_same_codes(cls: type[AllianceError]) -> None:
    error = GraphQLError("ignored", original_error=cls("what went wrong"))
    assert code_of(error) is cls.code
    assert format_error(error) == {"message": "what went wrong", "extensions": {"code": cls.code.value}}


def test_graphql_errors_of_the_query_itself() -> None:
    assert code_of(GraphQLError("Cannot query field 'x' on type 'Query'.")) is ErrorCode.VALIDATION
    assert code_of(GraphQLError("'q' exceeds maximum operation depth of 10.")) is ErrorCode.OVER_LIMIT
    unexpected = format_error(GraphQLError("boom", original_error=RuntimeError("MATCH (n) RETURN n")))
    assert unexpected["extensions"] == {"code": "INTERNAL"}
    assert "MATCH" not in unexpected["message"] and "reference" in unexpected["message"]


def test_the_readme_lists_every_code_with_its_status() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [c.value for c in ErrorCode if f"| `{c.value}` | {c.status} |" not in readme]
    assert missing == [], f"README's Errors table lacks {missing}"
