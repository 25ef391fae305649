"""A local Neo4j Community 5.26 without Docker, for development, tests and benchmarks.

Maven Central has the embedded database but not the server tarball, so tools/neo4j/pom.xml resolves
org.neo4j:neo4j with Maven and tools/neo4j/AllianceNeo4j.java starts it with Bolt on loopback. Each
start of a new HOME generates a password, kept in HOME/identity.json (mode 600) with the Bolt port: a
restart (stop then start, or start after a crash) reuses both, so a service still running with the old
HOME/env keeps logging in; the database's stored password is set to it on every start. The running
server's address and password are in HOME/server.json and HOME/env (both mode 600), so a shell can
`set -a; . HOME/env; set +a`.

    python -m service.neo4j_local start|stop|status [--home DIR] [--port P]
"""

from __future__ import annotations

import argparse
import fcntl
import hashlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass
from pathlib import Path

from neo4j import GraphDatabase
from neo4j.exceptions import DriverError, Neo4jError

TOOLS = Path(__file__).resolve().parent.parent / "tools" / "neo4j"
POM = TOOLS / "pom.xml"
LAUNCHER = TOOLS / "AllianceNeo4j.java"
MAIN_CLASS = "AllianceNeo4j"
READY = b"alliance-neo4j ready"
IDENTITY = "identity.json"  # the password and port kept across restarts
USER = "neo4j"


@dataclass(frozen=True, kw_only=True)
class Neo4jServer:
    uri: str
    user: str
    password: str
    database: str = "neo4j"
    pid: int
    home: Path

    @property
    def port(self) -> int:
        return int(self.uri.rsplit(":", 1)[1])


def _need(tool: str) -> str:
    found = shutil.which(tool)
    if not found:
        raise RuntimeError(
            f"`{tool}` is not on PATH; the local Neo4j needs Java 17+ (java, javac) and Maven (mvn). "
            "tools/ensure-java.sh installs them on Debian/Ubuntu."
        )
    return found


def _digest(*paths: Path) -> str:
    return hashlib.sha256(b"".join(p.read_bytes() for p in paths)).hexdigest()


def _run(cmd: list[str], what: str) -> None:
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        output = (done.stdout + done.stderr).strip().splitlines()
        raise RuntimeError(f"{what} failed ({done.returncode}): {' '.join(cmd)}\n" + "\n".join(output[-40:]))


def ensure_libs(home: Path) -> Path:
    """HOME/lib with the Neo4j jars; Maven copies them (from ~/.m2 once cached) when the pom changed."""
    lib = home.resolve() / "lib"
    stamp = lib / ".pom.sha256"
    digest = _digest(POM)
    if stamp.is_file() and stamp.read_text() == digest and any(lib.glob("*.jar")):
        return lib
    mvn = _need("mvn")
    _need("java")  # Maven runs on it, and says so less plainly
    shutil.rmtree(lib, ignore_errors=True)  # jars of an older pom must not stay on the class path
    _run(
        [mvn, "-q", "-B", "-f", str(POM), "dependency:copy-dependencies", f"-DoutputDirectory={lib}"],
        "fetching the Neo4j jars with Maven",
    )
    stamp.write_text(digest)  # last, so an interrupted copy is redone
    return lib


def _ensure_launcher(home: Path, lib: Path) -> Path:
    # Compiled once: a source-file launch recompiles against all 213 jars on every start (~2 s of CPU).
    classes = home / "classes"
    stamp = classes / ".sha256"
    digest = _digest(POM, LAUNCHER)
    if stamp.is_file() and stamp.read_text() == digest:
        return classes
    shutil.rmtree(classes, ignore_errors=True)
    _run(
        [_need("javac"), "-nowarn", "-cp", f"{lib}/*", "-d", str(classes), str(LAUNCHER)],
        "compiling the Neo4j launcher",
    )
    stamp.write_text(digest)
    return classes


@contextmanager
def _locked(home: Path) -> Iterator[None]:
    # Two `start`s on one home (a CLI and a test session, say) must not launch two JVMs on one store.
    with (home / ".lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def _process(pid: int) -> tuple[str, list[str]] | None:
    """State letter and arguments of `pid`, or None when there is no such process."""
    if sys.platform == "linux":
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
            args = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
        except (OSError, IndexError):
            return None
        return state, args
    ps = subprocess.run(["ps", "-o", "stat=,command=", "-p", str(pid)], capture_output=True, text=True, check=False)
    fields = ps.stdout.split()
    return (fields[0], fields[1:]) if fields else None


def _exited(pid: int) -> bool:
    with suppress(ChildProcessError):
        # Our own child (start() in this process): reap it, or it stays a zombie until we exit.
        return os.waitpid(pid, os.WNOHANG)[0] == pid
    process = _process(pid)
    # A zombie has closed its files, so the store lock and the port are free again.
    return process is None or process[0] in "ZX"


def _alive(pid: int, home: Path) -> bool:
    """Whether `pid` runs the launcher of `home` (after a reboot the pid may be anyone's)."""
    process = None if _exited(pid) else _process(pid)
    return process is not None and MAIN_CLASS in process[1] and str(home / "db") in process[1]


def _port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def free_port() -> int:
    """A loopback port nothing listens on now (for the local Neo4j, test and bench servers)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _recorded(home: Path) -> Neo4jServer | None:
    try:
        data = json.loads((home / "server.json").read_text())
    except (OSError, ValueError):
        return None
    return Neo4jServer(**{**data, "home": Path(data["home"])})


def status(home: Path) -> Neo4jServer | None:
    """The server recorded for `home` if its process runs and its Bolt port accepts connections."""
    server = _recorded(home.resolve())
    return server if server and _alive(server.pid, server.home) and _port_open(server.port) else None


def _tail(log: Path, lines: int = 40) -> str:
    text = log.read_text(errors="replace") if log.exists() else "(no log)"
    return "\n".join(text.splitlines()[-lines:])


def _can_log_in(server: Neo4jServer) -> bool:
    try:
        with GraphDatabase.driver(server.uri, auth=(server.user, server.password)) as driver:
            driver.verify_connectivity()
    except (DriverError, Neo4jError, OSError):
        return False
    return True


def _write_private(path: Path, text: str) -> None:
    # Created 0600 from the start and renamed into place: the password is never world-readable.
    tmp = path.with_name(path.name + ".tmp")
    tmp.unlink(missing_ok=True)
    with os.fdopen(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as out:
        out.write(text)
    tmp.replace(path)


def _terminate(pid: int, timeout: float) -> None:
    """SIGTERM the launcher's process group (its shutdown hook stops Neo4j cleanly), SIGKILL after timeout."""
    for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 10.0)):
        with suppress(ProcessLookupError):
            os.killpg(pid, sig)  # start_new_session made the launcher its group's leader
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if _exited(pid):  # return at once: a reaped pid may soon be someone else's
                return
            time.sleep(0.1)


def _identity(home: Path) -> tuple[str, int | None]:
    """The password (and last port) of HOME: generated once, reused by every later start."""
    try:
        data = json.loads((home / IDENTITY).read_text())
        return str(data["password"]), (int(data["port"]) if data.get("port") else None)
    except (OSError, ValueError, KeyError, TypeError):
        return secrets.token_urlsafe(24), None


def heap() -> str:
    """The JVM heap of a local server: ALLIANCE_NEO4J_HEAP (e.g. 4g, 3072m), default 2g. A province-sized graph
    wants more than a test server; the page cache is ALLIANCE_NEO4J_PAGECACHE (bytes, default 1 GiB)."""
    value = os.environ.get("ALLIANCE_NEO4J_HEAP", "").strip().lower() or "2g"
    if not re.fullmatch(r"[1-9][0-9]*[kmg]", value):
        raise ValueError(f"ALLIANCE_NEO4J_HEAP={value!r} is not a JVM heap size: a number with k, m or g, e.g. 4g")
    return value


def _launch(home: Path, port: int, timeout: float, password: str) -> Neo4jServer:
    lib = ensure_libs(home)
    classes = _ensure_launcher(home, lib)
    log = home / "neo4j.log"
    cmd = [
        _need("java"),
        f"-Xmx{heap()}",
        # the initial heap at its maximum, as Neo4j asks at start ("The initial heap memory has not been
        # configured"): grown from its ~400 MB heuristic, a loader's two batch transactions of 10,000 rows spent
        # seconds a minute in stop-the-world pauses (bench/RESULTS.md, issue 16); pages are touched as used
        f"-Xms{heap()}",
        "-XX:+ExitOnOutOfMemoryError",
        "-cp",
        f"{classes}{os.pathsep}{lib}/*",
        MAIN_CLASS,
        str(home / "db"),
        str(port),
        "-",  # the password follows on stdin: a command line is visible to every user (ps)
    ]
    with log.open("wb") as out:
        proc = subprocess.Popen(
            cmd, stdin=subprocess.PIPE, stdout=out, stderr=subprocess.STDOUT, start_new_session=True, cwd=home
        )
    assert proc.stdin is not None
    with suppress(BrokenPipeError), proc.stdin:  # a JVM that died at once is reported below, with its log
        proc.stdin.write(password.encode() + b"\n")
    server = Neo4jServer(uri=f"bolt://127.0.0.1:{port}", user=USER, password=password, pid=proc.pid, home=home)
    deadline = time.monotonic() + timeout
    while not (READY in log.read_bytes() and _can_log_in(server)):
        if proc.poll() is not None:
            raise RuntimeError(f"Neo4j exited ({proc.returncode}) while starting; {log}:\n{_tail(log)}")
        if time.monotonic() > deadline:
            _terminate(proc.pid, 10)
            raise RuntimeError(f"Neo4j did not accept a Bolt login within {timeout:.0f} s; {log}:\n{_tail(log)}")
        time.sleep(0.25)
    return server


def start(home: Path, *, port: int | None = None, timeout: float = 120) -> Neo4jServer:
    """The running server of `home`, or a new one once a Bolt login works (within `timeout` seconds,
    not counting a first fetch of the jars)."""
    home = home.resolve()
    home.mkdir(parents=True, exist_ok=True)
    with _locked(home):
        running = status(home)
        if running:
            return running
        stale = _recorded(home)
        if stale and _alive(stale.pid, home):  # alive but deaf: it holds the store lock a new one needs
            _terminate(stale.pid, 30)
        if port is not None and _port_open(port):
            raise RuntimeError(f"port {port} on 127.0.0.1 is already in use")
        password, last_port = _identity(home)
        if port is None and last_port is not None and not _port_open(last_port):
            port = last_port  # the address a running service was given stays valid across a restart
        # kept before launching: a start that fails after Neo4j stored the password still knows it
        _write_private(home / IDENTITY, json.dumps({"password": password, "port": port}))
        server = _launch(home, port or free_port(), timeout, password)
        _write_private(home / IDENTITY, json.dumps({"password": password, "port": server.port}))
        _write_private(home / "server.json", json.dumps({**asdict(server), "home": str(home)}, indent=2))
        env = {
            "ALLIANCE_STORE": "neo4j",
            "ALLIANCE_NEO4J_URI": server.uri,
            "ALLIANCE_NEO4J_USER": server.user,
            "ALLIANCE_NEO4J_PASSWORD": server.password,
            "ALLIANCE_NEO4J_DATABASE": server.database,
        }
        _write_private(home / "env", "".join(f"{k}={v}\n" for k, v in env.items()))
        return server


def stop(home: Path, timeout: float = 60) -> bool:
    """Stop the server of `home` cleanly; whether one was running."""
    home = home.resolve()
    if not home.is_dir():
        return False
    with _locked(home):
        server = _recorded(home)
        running = server is not None and _alive(server.pid, home)
        if server is not None and running:
            _terminate(server.pid, timeout)
        for name in ("server.json", "env"):  # a running server's files; identity.json stays for the next start
            (home / name).unlink(missing_ok=True)
        return running


def import_full(home: Path, database: str, nodes: Mapping[Path, str], relationships: Mapping[Path, str],
                off_heap: str | None = None, multiline: bool = True) -> str:
    """`neo4j-admin database import full` (the importer's jars come with the server's) of CSV files into
    `database` of the STOPPED server of `home`, replacing it; the importer's output. `nodes` maps each file to its
    labels ("ListItem:Entity"), `relationships` each file to its type; each file starts with its header.
    `off_heap` bounds the importer's off-heap caches (e.g. "2G"; its default is 90% of free memory).
    `multiline`: a quoted value may span lines (much slower to import: False when no value holds a line break)."""
    home = home.resolve()
    with _locked(home):
        recorded = _recorded(home)
        if recorded is not None and _alive(recorded.pid, home):
            raise RuntimeError(f"the Neo4j of {home} is running: stop it before an offline import")
        lib = ensure_libs(home)
        conf = home / "import-conf"
        conf.mkdir(exist_ok=True)
        (conf / "neo4j.conf").touch()  # the server's settings are the launcher's defaults: nothing to add
        cmd = [
            _need("java"), "-Xmx1g", "-XX:+ExitOnOutOfMemoryError", "-cp", f"{lib}/*", "org.neo4j.cli.AdminTool",
            "database", "import", "full", database, "--overwrite-destination=true",
            f"--multiline-fields={str(multiline).lower()}",
            "--array-delimiter=U+001F", f"--report-file={home / 'import.report'}",
            *([f"--max-off-heap-memory={off_heap}"] if off_heap else []),
            *(f"--nodes={labels}={path}" for path, labels in nodes.items()),
            *(f"--relationships={type_}={path}" for path, type_ in relationships.items()),
        ]  # the database first: --nodes and --relationships take every word after them as files
        env = {**os.environ, "NEO4J_HOME": str(home / "db"), "NEO4J_CONF": str(conf)}
        done = subprocess.run(cmd, capture_output=True, text=True, check=False, env=env, cwd=home)
        output = (done.stdout + done.stderr).strip()
        if done.returncode != 0:
            raise RuntimeError(f"neo4j-admin database import failed ({done.returncode}):\n"
                               + "\n".join(output.splitlines()[-40:]))
        return output


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="alliance neo4j", description="A local Neo4j 5.26 without Docker.")
    p.add_argument("action", choices=["start", "stop", "status"])
    p.add_argument(
        "--home",
        type=Path,
        default=Path(os.environ.get("ALLIANCE_NEO4J_HOME", ".neo4j")),
        help="server directory (default: $ALLIANCE_NEO4J_HOME or ./.neo4j)",
    )
    p.add_argument("--port", type=int, help="Bolt port on 127.0.0.1 (default: a free one)")
    args = p.parse_args(argv)
    home: Path = args.home
    try:
        if args.action == "start":
            server = start(home, port=args.port)
        elif args.action == "stop":
            print("stopped" if stop(home) else "not running")
            return 0
        else:
            found = status(home)
            if not found:
                print("not running")
                return 3
            server = found
    except RuntimeError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    env = server.home / "env"
    print(
        f"Neo4j on {server.uri} (user {server.user}, pid {server.pid})\n"
        f"settings and password: {env}  (set -a; . {env}; set +a)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
