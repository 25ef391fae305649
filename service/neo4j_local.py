"""A local Neo4j Community 5.26 without Docker, for development, tests and benchmarks.

Maven Central has the embedded database but not the server tarball, so tools/neo4j resolves
org.neo4j:neo4j with Maven and AllianceNeo4j.java starts it with Bolt on loopback. The server's
address and generated password are kept in HOME/server.json and HOME/env (mode 600).

    python -m service.neo4j_local start|stop|status [--home DIR] [--port P]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

TOOLS = Path(__file__).resolve().parent.parent / "tools" / "neo4j"
POM = TOOLS / "pom.xml"
LAUNCHER = TOOLS / "AllianceNeo4j.java"


@dataclass(frozen=True)
class Neo4jServer:
    uri: str
    user: str
    password: str
    pid: int
    home: str
    database: str = "neo4j"


def _need(tool: str) -> str:
    found = shutil.which(tool)
    if not found:
        raise RuntimeError(f"{tool} is required for the local Neo4j (Java 17+ and Maven); install it first")
    return found


def _stamp() -> str:
    return hashlib.sha256(POM.read_bytes() + LAUNCHER.read_bytes()).hexdigest()


def ensure_libs(home: Path) -> Path:
    """Resolve the Neo4j jars (cached in ~/.m2) and compile the launcher once per pom/launcher."""
    lib, classes, stamp = home / "lib", home / "classes", home / "libs.stamp"
    if stamp.exists() and stamp.read_text() == _stamp() and (classes / "AllianceNeo4j.class").exists():
        return lib
    shutil.rmtree(lib, ignore_errors=True)
    shutil.rmtree(classes, ignore_errors=True)
    subprocess.run([_need("mvn"), "-q", "-B", "-f", str(POM), "dependency:copy-dependencies",
                    f"-DoutputDirectory={lib}"], check=True)
    subprocess.run([_need("javac"), "-cp", f"{lib}/*", "-d", str(classes), str(LAUNCHER)], check=True)
    stamp.write_text(_stamp())
    return lib


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def status(home: Path) -> Neo4jServer | None:
    record = home / "server.json"
    if not record.exists():
        return None
    server = Neo4jServer(**json.loads(record.read_text()))
    port = int(server.uri.rsplit(":", 1)[1])
    return server if _alive(server.pid) and _port_open(port) else None


def _tail(path: Path, lines: int = 40) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else "(no log)"


def _verify(server: Neo4jServer) -> bool:
    from neo4j import GraphDatabase
    from neo4j.exceptions import Neo4jError, ServiceUnavailable

    try:
        with GraphDatabase.driver(server.uri, auth=(server.user, server.password)) as driver:
            driver.verify_connectivity()
        return True
    except (ServiceUnavailable, Neo4jError, OSError):
        return False


def start(home: Path, *, port: int | None = None, timeout: float = 180) -> Neo4jServer:
    """Start (or return the running) server for `home`; wait until a Bolt login works."""
    home = home.resolve()
    running = status(home)
    if running:
        return running
    _need("java")
    home.mkdir(parents=True, exist_ok=True)
    lib = ensure_libs(home)
    port = port or _free_port()
    password = secrets.token_urlsafe(18)
    log = home / "neo4j.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [_need("java"), "-Xmx2g", "-cp", f"{home / 'classes'}:{lib}/*", "AllianceNeo4j",
             str(home / "db"), str(port), password],
            stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
        )
    server = Neo4jServer(f"bolt://127.0.0.1:{port}", "neo4j", password, proc.pid, str(home))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"Neo4j exited with {proc.returncode} while starting; its log:\n{_tail(log)}")
        if "alliance-neo4j ready" in log.read_text(errors="replace") and _verify(server):
            break
        time.sleep(0.5)
    else:
        os.killpg(proc.pid, signal.SIGKILL)
        raise RuntimeError(f"Neo4j did not answer on {server.uri} within {timeout:.0f} s; its log:\n{_tail(log)}")
    for name, text in (
        ("server.json", json.dumps(asdict(server))),
        ("env", "".join(f"{k}={v}\n" for k, v in (
            ("ALLIANCE_STORE", "neo4j"), ("ALLIANCE_NEO4J_URI", server.uri), ("ALLIANCE_NEO4J_USER", server.user),
            ("ALLIANCE_NEO4J_PASSWORD", password), ("ALLIANCE_NEO4J_DATABASE", server.database)))),
    ):
        path = home / name
        path.write_text(text)
        path.chmod(0o600)
    return server


def stop(home: Path, timeout: float = 60) -> bool:
    """Stop the server of `home` cleanly (SIGTERM runs its shutdown hook); SIGKILL after timeout."""
    home = home.resolve()
    record = home / "server.json"
    if not record.exists():
        return False
    pid = int(json.loads(record.read_text())["pid"])
    stopped = False
    if _alive(pid):
        os.killpg(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        if _alive(pid):
            os.killpg(pid, signal.SIGKILL)
        stopped = True
    record.unlink(missing_ok=True)
    (home / "env").unlink(missing_ok=True)
    return stopped


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="alliance neo4j", description=__doc__)
    p.add_argument("action", choices=["start", "stop", "status"])
    p.add_argument("--home", type=Path, default=Path(os.environ.get("ALLIANCE_NEO4J_HOME", ".neo4j")))
    p.add_argument("--port", type=int)
    args = p.parse_args(argv)
    if args.action == "start":
        server = start(args.home, port=args.port)
        print(f"Neo4j 5.26 on {server.uri} (user {server.user}); connection settings in {args.home / 'env'}")
        return 0
    if args.action == "stop":
        print("stopped" if stop(args.home) else "not running")
        return 0
    running = status(args.home)
    print(f"running on {running.uri} (pid {running.pid})" if running else "not running")
    return 0 if running else 3


if __name__ == "__main__":
    sys.exit(main())
