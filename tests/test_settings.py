"""Settings are checked when they are read: a misconfiguration fails at Settings() (and so at
create_app() and at every `alliance` command) with a message naming the variable, never later at
the first request."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr, ValidationError

from service.app import create_app
from service.auth import KeyRing
from service.cli import main
from service.roles import Role
from service.settings import ApiKey, Environment, Settings, StoreKind


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """No ALLIANCE_* variable from the shell (make test exports the local Neo4j's) and no .env file."""
    for name in list(os.environ):
        if name.startswith("ALLIANCE_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    yield


def _failure(**values: Any) -> str:
    with pytest.raises(ValidationError) as caught:
        Settings(**values)
    return str(caught.value)


def test_defaults_are_valid() -> None:
    settings = Settings()
    assert (settings.store, settings.environment, settings.api_keys) == (StoreKind.EMBEDDED, Environment.PRODUCTION, ())


def test_api_keys_are_parsed_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALLIANCE_API_KEYS", " k1:admin , k2:Viewer:650106001 ,")
    keys = Settings().api_keys
    assert [(k.secret.get_secret_value(), k.role, k.region_id) for k in keys] == [
        ("k1", Role.ADMIN, None), ("k2", Role.VIEWER, "650106001")]
    assert "k1" not in repr(keys)  # secrets stay secret in logs and reprs


def test_a_bad_key_role_fails_at_settings_naming_the_entry(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALLIANCE_API_KEYS", "s3cret-one:admin,s3cret-two:boss")
    with pytest.raises(ValidationError) as caught:
        Settings()
    message = str(caught.value)
    assert "ALLIANCE_API_KEYS entry 2 names role 'boss'" in message and "viewer, analyst, importer, admin" in message
    assert "s3cret" not in message  # the keys themselves are never echoed


@pytest.mark.parametrize("entry", ["sekrit-only", ":admin", "sekrit:admin:650106:extra"])
def test_a_malformed_key_entry_fails(entry: str) -> None:
    message = _failure(api_keys=SecretStr(f"ok:viewer,{entry}"))
    assert "ALLIANCE_API_KEYS entry 2 is not `key:role` or `key:role:regionId`" in message
    assert "sekrit" not in message


def test_environment_is_one_of_the_known_ones() -> None:
    assert Settings(environment="Development").environment is Environment.DEVELOPMENT
    message = _failure(environment="staging")
    assert "environment" in message and "'development', 'test' or 'production'" in message


def test_neo4j_store_needs_a_password() -> None:
    assert "ALLIANCE_NEO4J_PASSWORD must be set when ALLIANCE_STORE=neo4j" in _failure(store="neo4j")
    assert "ALLIANCE_NEO4J_PASSWORD" in _failure(store="neo4j", neo4j_password="")
    assert Settings(store="neo4j", neo4j_password="pw").neo4j_password == SecretStr("pw")


def test_neo4j_uri_and_cache_size_are_checked() -> None:
    assert "ALLIANCE_NEO4J_URI must look like bolt://host:7687" in _failure(neo4j_uri="http://db:7474")
    assert "response_cache" in _failure(response_cache=-1)


def test_the_app_refuses_a_bad_configuration_before_serving(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALLIANCE_STORE", "neo4j")
    with pytest.raises(ValidationError, match="ALLIANCE_NEO4J_PASSWORD"):
        create_app()


def test_the_command_line_names_the_problem(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ALLIANCE_API_KEYS", "k:admin,k2:boss")
    monkeypatch.setenv("ALLIANCE_ENVIRONMENT", "staging")
    assert main(["migrate"]) == 2
    err = capsys.readouterr().err
    assert "configuration error: ALLIANCE_API_KEYS entry 2 names role 'boss'" in err
    assert "configuration error: ALLIANCE_ENVIRONMENT: Input should be" in err
    assert "Traceback" not in err


def test_the_key_ring_is_built_once_per_app(monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[KeyRing] = []

    class Counted(KeyRing):
        def __init__(self, keys: Iterable[ApiKey]) -> None:
            super().__init__(keys)
            built.append(self)

    monkeypatch.setattr("service.app.KeyRing", Counted)
    app = create_app(Settings(api_keys=(ApiKey(SecretStr("k"), Role.ADMIN),)))
    assert built == [app.state.keys] and len(app.state.keys) == 1


def test_the_default_data_dir_is_absolute_and_per_user(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The embedded store is found in the same place whichever folder a command runs from."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    here = Settings().data_dir
    assert here == tmp_path / "home" / ".local" / "share" / "alliance-graph" and here.is_absolute()
    (tmp_path / "office").mkdir()
    monkeypatch.chdir(tmp_path / "office")
    assert Settings().data_dir == here
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert Settings().data_dir == tmp_path / "xdg" / "alliance-graph"
    monkeypatch.setenv("XDG_DATA_HOME", "relative/xdg")  # the XDG specification says to ignore a relative value
    assert Settings().data_dir == here


def test_a_relative_data_dir_is_made_absolute_when_read(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("ALLIANCE_DATA_DIR", "store/../graph")
    settings = Settings()  # the fixture started the test in tmp_path
    (tmp_path / "home").mkdir()
    monkeypatch.chdir(tmp_path / "home")
    assert settings.data_dir == tmp_path / "graph"  # the folder the command started in, not a later one
    monkeypatch.setenv("ALLIANCE_DATA_DIR", "~/graph")
    assert Settings().data_dir == tmp_path / "home" / "graph"
    assert Settings(data_dir="x").data_dir == tmp_path / "home" / "x"


def test_the_store_location_names_the_directory_or_the_uri_never_the_password(tmp_path: Path) -> None:
    assert Settings(data_dir=tmp_path).store_location() == f"embedded store in {tmp_path}"
    neo4j = Settings(store="neo4j", neo4j_uri="neo4j+s://scott:tiger@db.example:7687", neo4j_password="s3cret",
                     neo4j_database="alliance", neo4j_user="reader")
    line = neo4j.store_location()
    assert line == "neo4j store at neo4j+s://db.example:7687 (database alliance, user reader)"
    assert "s3cret" not in line and "tiger" not in line
