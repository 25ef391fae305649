"""A plain (non-editable) install runs: the wheel holds every Cypher file, and, installed into a
fresh virtual environment and run from outside the checkout, it loads the demo.

The dependencies come from this test run's environment (a .pth line in the fresh one), so nothing
is downloaded but what building the wheel needs (setuptools, from PyPI or pip's cache).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from pathlib import Path

from service.demo import generate

ROOT = Path(__file__).resolve().parent.parent
PROFILE, SEED = "urumqi-etdz", 2026


def _run(*cmd: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"{cmd} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _build_wheel(tmp: Path) -> Path:
    """The wheel of a copy of the tracked sources (a build in the checkout would reuse its build/)."""
    src = tmp / "src"
    skip = shutil.ignore_patterns("__pycache__", "*.pyc")
    for tree in ("service", "loaders"):
        shutil.copytree(ROOT / tree, src / tree, ignore=skip)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, src / name)
    _run(sys.executable, "-m", "pip", "wheel", src, "--no-deps", "--quiet", "--wheel-dir", tmp / "dist", cwd=tmp)
    [wheel] = (tmp / "dist").glob("alliance_graph-*.whl")
    return wheel


def _fresh_env(tmp: Path, wheel: Path) -> Path:
    """A venv holding only the wheel; its dependencies are this environment's site-packages, added
    by path (the .pth files there, such as an editable install's, are not run)."""
    venv = tmp / "venv"
    _run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tmp)
    python = venv / "bin" / "python"
    _run(sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-deps", "--no-index", wheel,
         cwd=tmp)
    purelib = Path(_run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=tmp).strip())
    ours = dict.fromkeys([sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]])
    (purelib / "zz_test_dependencies.pth").write_text("".join(f"{p}\n" for p in ours), encoding="utf-8")
    return venv


def test_the_wheel_installs_and_loads_the_demo_from_outside_the_checkout(tmp_path: Path) -> None:
    wheel = _build_wheel(tmp_path)
    shipped = {n for n in zipfile.ZipFile(wheel).namelist() if n.endswith(".cypher")}
    tracked = {p.relative_to(ROOT).as_posix() for p in (ROOT / "service" / "cypher").rglob("*.cypher")}
    assert tracked and shipped == tracked
    # the enum display names the exports write and the loaders read back (service/display.py)
    assert "service/web/static/enums.json" in zipfile.ZipFile(wheel).namelist()

    venv = _fresh_env(tmp_path, wheel)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ALLIANCE_", "PYTHON"))}
    env |= {"ALLIANCE_STORE": "embedded", "ALLIANCE_DATA_DIR": str(tmp_path / "data"), "PYTHONNOUSERSITE": "1"}

    where = _run(venv / "bin" / "python", "-c", (
        "import service; from service.graph.neo4j.statements import migrations, statement; "
        "statement('search', filters=()); print(service.__file__, len(migrations()))"), cwd=outside, env=env).split()
    assert Path(where[0]).is_relative_to(venv), f"service imported from {where[0]}, not the installed wheel"
    assert int(where[1]) == len(list((ROOT / "service" / "cypher" / "schema").glob("*.cypher")))

    out = _run(venv / "bin" / "alliance", "demo", "--profile", PROFILE, "--seed", str(SEED), cwd=outside, env=env)
    load, _, analysis = out.partition("\nanalysed ")  # the demo analyses what it loaded (its second block)
    counts = {k: int(v.replace(",", "")) for k, v in (line.split() for line in load.splitlines()[1:])}
    assert "communities" in analysis, out
    dataset = generate(PROFILE, seed=SEED)
    assert counts == {
        "nodes": dataset.node_count(), "nodes_created": dataset.node_count(),
        "relationships": dataset.relationship_count(), "relationships_created": dataset.relationship_count(),
        "claims": len(dataset.claims), "claims_rejected": 0,
    }
    assert (tmp_path / "data" / "alliance.sqlite3").is_file()

    # the installed package knows its version, and info names the same store the demo went into
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert _run(venv / "bin" / "alliance", "--version", cwd=outside, env=env) == f"alliance {declared}\n"
    info = _run(venv / "bin" / "alliance", "info", cwd=outside, env=env)
    assert f"data dir  {tmp_path / 'data'}" in info and f"{dataset.node_count():,}" in info.splitlines()[-1]
