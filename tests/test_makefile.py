"""The Makefile's two README commands, read with `make -n` (nothing runs): `make run` installs the
package alone, without the test tools, and loads the demo only into an empty store; `make test`
installs the test extras."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def _dry_run(target: str, tmp_path: Path) -> list[str]:
    """The commands `make TARGET` would run for a fresh checkout (a venv that does not exist yet)."""
    done = subprocess.run(["make", "-n", target, f"VENV={tmp_path / 'venv'}"], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, check=True)
    return done.stdout.splitlines()


def test_make_run_installs_only_what_running_needs_and_never_loads_over_data(tmp_path: Path) -> None:
    lines = _dry_run("run", tmp_path)
    installs = [line for line in lines if " install " in line and "--upgrade pip" not in line]
    assert installs == [f"{tmp_path / 'venv'}/bin/pip install --quiet -e '.'"]
    assert not any("[test]" in line for line in lines)
    [demo] = [line for line in lines if " demo " in line]
    assert demo.endswith("alliance demo --profile urumqi-etdz --if-empty")
    assert any("alliance serve" in line for line in lines)


def test_make_test_installs_the_test_extras(tmp_path: Path) -> None:
    lines = _dry_run("test", tmp_path)
    assert f"{tmp_path / 'venv'}/bin/pip install --quiet -e '.[test]'" in lines
