"""The command line as a new user meets it: `--version`, help on every argument, the store each
command uses named on stderr, `alliance info`, and `alliance demo` never loading over data."""

from __future__ import annotations

import argparse
import asyncio
import os
from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path

import pytest

from service import cli
from service.cli import main, parser
from service.demo import generate
from service.graph.embedded import EmbeddedStore
from service.graph.port import GraphStore
from service.model import Label
from tests.contract import small_graph

EDITED = "AGR-650106-000001"  # an ACTIVE agreement of the urumqi-etdz demo


@pytest.fixture(autouse=True)
def embedded_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """The embedded store in the test's folder unless a test says otherwise, whatever the shell
    exports (make test: the local Neo4j's settings, kept for the `neo4j_server` fixture to find)."""
    for name in list(os.environ):
        if name.startswith("ALLIANCE_") and not name.startswith(("ALLIANCE_NEO4J_", "ALLIANCE_TEST_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("ALLIANCE_STORE", "embedded")
    monkeypatch.setenv("ALLIANCE_DATA_DIR", str(tmp_path / "data"))
    yield


def _use(monkeypatch: pytest.MonkeyPatch, data_dir: Path) -> None:
    monkeypatch.setenv("ALLIANCE_DATA_DIR", str(data_dir))


async def _status(data_dir: Path, agreement_id: str) -> str:
    store = EmbeddedStore(data_dir)
    try:
        node = await store.get_node(agreement_id, Label.AGREEMENT)
        assert node is not None
        return str(node.props["status"])
    finally:
        await store.close()


async def _terminate(data_dir: Path, agreement_id: str) -> None:
    store = EmbeddedStore(data_dir)
    try:
        await store.upsert_nodes(Label.AGREEMENT, [{"id": agreement_id, "status": "TERMINATED"}])
    finally:
        await store.close()


async def _counts(data_dir: Path) -> dict[Label, int]:
    store = EmbeddedStore(data_dir)
    try:
        return await store.count_by_label()
    finally:
        await store.close()


# --version and help ---------------------------------------------------------------------------


def test_version_is_the_installed_package_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out == f"alliance {version('alliance-graph')}\n"


def _parsers(p: argparse.ArgumentParser, path: str = "alliance") -> Iterator[tuple[str, argparse.ArgumentParser]]:
    yield path, p
    for action in p._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _parsers(sub, f"{path} {name}")


def test_every_command_and_every_argument_has_help() -> None:
    """Walks the whole parser, the loaders' and analytics' commands included."""
    missing: list[str] = []
    commands: set[str] = set()
    for path, p in _parsers(parser()):
        for action in p._actions:
            if isinstance(action, argparse._HelpAction):
                continue
            if isinstance(action, argparse._SubParsersAction):
                helped = {a.dest for a in action._choices_actions if a.help}
                missing += [f"{path} {name}" for name in action.choices if name not in helped]
                commands |= set(action.choices)
                continue
            if not action.help or action.help == argparse.SUPPRESS:
                missing.append(f"{path} {'/'.join(action.option_strings) or action.dest}")
    assert {"serve", "demo", "migrate", "info", "analyze", "load", "template", "export", "neo4j", "keys"} <= commands
    assert missing == [], "arguments without help: " + ", ".join(missing)


# the store line ---------------------------------------------------------------------------------


@pytest.mark.parametrize("command", sorted(cli.STORE_COMMANDS))
def test_every_store_command_names_its_store_on_stderr_in_one_line(
    command: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    ran: list[str] = []
    monkeypatch.setattr(cli, "_on_store", lambda args, settings: ran.append(args.command) or 0)
    argv = {"demo": ["demo", "--profile", "urumqi-etdz"], "load": ["load", "items", "x.csv"],
            "export": ["export", "items"], "keys": ["keys", "list"],
            "backup": ["backup", "x.gz"], "restore": ["restore", "x.gz"],
            "withdraw": ["withdraw", "X", "--reason", "r"],
            "merge-units": ["merge-units", "A", "B"], "history": ["history", "A"]}.get(command, [command])
    monkeypatch.chdir(tmp_path)
    _use(monkeypatch, Path("relative"))  # made absolute when read, and shown so
    assert main(argv) == 0 and ran == [command]
    assert capsys.readouterr().err == f"alliance {command}: using the embedded store in {tmp_path / 'relative'}\n"

    monkeypatch.setenv("ALLIANCE_STORE", "neo4j")
    monkeypatch.setenv("ALLIANCE_NEO4J_URI", "bolt://db.example:7687")
    monkeypatch.setenv("ALLIANCE_NEO4J_PASSWORD", "s3cret-pw")
    monkeypatch.setenv("ALLIANCE_NEO4J_USER", "neo4j")
    monkeypatch.setenv("ALLIANCE_NEO4J_DATABASE", "neo4j")
    assert main(argv) == 0
    err = capsys.readouterr().err
    assert err == (f"alliance {command}: using the neo4j store at bolt://db.example:7687 "
                   "(database neo4j, user neo4j)\n")
    assert "s3cret" not in err


def test_commands_without_a_store_print_no_store_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["template", "teams", "--format", "csv", "--output", str(tmp_path / "t.csv")]) == 0
    assert capsys.readouterr().err == ""


# alliance info ----------------------------------------------------------------------------------


def test_info_shows_version_store_data_dir_and_nodes_by_label(
    urumqi_demo_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _use(monkeypatch, urumqi_demo_dir)
    assert main(["info"]) == 0
    out, err = capsys.readouterr()
    nodes = generate("urumqi-etdz").nodes
    expected = [f"Alliance Graph {version('alliance-graph')}", "store     embedded", f"data dir  {urumqi_demo_dir}",
                "nodes by label"]
    expected += [f"  {label.value:<16}{len(nodes.get(label, [])):>10,}" for label in Label]
    expected += [f"  {'total':<16}{sum(len(rows) for rows in nodes.values()):>10,}"]
    assert out.splitlines() == expected
    assert "  Organisation           802" in out and "  ListItem             1,364" in out and "  Wish" in out
    assert err == f"alliance info: using the embedded store in {urumqi_demo_dir}\n"


async def test_info_counts_what_either_store_holds(
    store: GraphStore, store_kind: str, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("ALLIANCE_STORE", store_kind)  # the `store` fixture's: its file, or its server
    if store_kind == "neo4j":
        server = request.getfixturevalue("neo4j_server")
        for key in ("uri", "user", "password", "database"):
            monkeypatch.setenv(f"ALLIANCE_NEO4J_{key.upper()}", server[key])
    await small_graph.build(store)
    assert await asyncio.to_thread(main, ["info"]) == 0  # the CLI runs its own event loop, as from a shell
    out = capsys.readouterr().out
    assert f"store     {store_kind}\n" in out
    assert "  Organisation             7\n" in out and "  Agreement                4\n" in out
    total = sum((await store.count_by_label()).values())
    assert out.rstrip().endswith(f"total{total:>21,}")


def test_info_on_a_missing_store_says_so_and_creates_nothing(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    _use(monkeypatch, tmp_path / "nowhere")
    assert main(["info"]) == 0
    out = capsys.readouterr().out
    assert "no store there yet" in out and out.rstrip().endswith("total                    0")
    assert not (tmp_path / "nowhere").exists()


# alliance demo: only into an empty store --------------------------------------------------------


def test_demo_refuses_a_store_holding_data_and_keeps_the_edits(
    demo_data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _use(monkeypatch, demo_data_dir)
    asyncio.run(_terminate(demo_data_dir, EDITED))
    held = sum(asyncio.run(_counts(demo_data_dir)).values())
    assert main(["demo", "--profile", "urumqi-etdz"]) == 1
    err = capsys.readouterr().err
    assert f"error: the embedded store in {demo_data_dir} already holds {held:,} nodes" in err
    assert "--reset" in err and "--if-empty" in err
    assert asyncio.run(_status(demo_data_dir, EDITED)) == "TERMINATED"  # the user's edit is still there


def test_demo_if_empty_leaves_data_alone_and_exits_0(
    demo_data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _use(monkeypatch, demo_data_dir)
    asyncio.run(_terminate(demo_data_dir, EDITED))
    before = asyncio.run(_counts(demo_data_dir))
    assert main(["demo", "--profile", "urumqi-etdz", "--if-empty"]) == 0
    assert "the demo is not loaded (--if-empty)" in capsys.readouterr().out
    assert asyncio.run(_status(demo_data_dir, EDITED)) == "TERMINATED"
    assert asyncio.run(_counts(demo_data_dir)) == before


def test_demo_if_empty_loads_an_empty_store(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    _use(monkeypatch, tmp_path / "fresh")
    assert main(["demo", "--profile", "urumqi-etdz", "--if-empty"]) == 0
    assert "loaded urumqi-etdz (scale 1, seed 2026) into the embedded store" in capsys.readouterr().out
    assert asyncio.run(_counts(tmp_path / "fresh"))[Label.LIST_ITEM] == 1364


def test_demo_reset_empties_the_store_first(
    demo_data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _use(monkeypatch, demo_data_dir)
    before = asyncio.run(_counts(demo_data_dir))
    store = EmbeddedStore(demo_data_dir)
    asyncio.run(store.upsert_nodes(Label.TEAM, [{"id": "TEAM-EXTRA", "name": "志愿服务队"}]))
    asyncio.run(store.close())
    asyncio.run(_terminate(demo_data_dir, EDITED))
    assert main(["demo", "--profile", "urumqi-etdz", "--reset"]) == 0
    # the extra team and the version of the agreement its status change left
    assert f"emptied the embedded store in {demo_data_dir} ({sum(before.values()) + 2:,} nodes deleted)" in (
        capsys.readouterr().out)
    assert asyncio.run(_status(demo_data_dir, EDITED)) == "ACTIVE"
    assert asyncio.run(_counts(demo_data_dir)) == before  # the extra team is gone too


def test_reset_and_if_empty_do_not_go_together(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["demo", "--profile", "urumqi-etdz", "--reset", "--if-empty"])
    assert done.value.code == 2 and "not allowed with argument" in capsys.readouterr().err
