"""wrk (C, Debian's package `wrk`) as the load generator of the HTTP benchmarks: it costs little of the two
cores, so the server under test keeps them. Each connection cycles through the request bodies."""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from dataclasses import dataclass

SCRIPT = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer %s"
local bodies = {%s}
local n = 0
request = function()
  n = n + 1
  return wrk.format(nil, "%s", nil, bodies[(n %% #bodies) + 1])
end
"""


@dataclass(frozen=True)
class WrkRun:
    p50: float  # ms, from wrk's latency histogram
    p99: float
    rate: float  # requests/s, failed answers included
    requests: int
    failed: int  # non-2xx answers and socket errors


def run(url: str, path: str, key: str, bodies: list[str], connections: int, seconds: float,
        timeout: str = "2s") -> WrkRun:
    """POST `bodies` in turn to `url` (whose request path is `path`) for `seconds` with `connections`."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(SCRIPT % (key, ", ".join("[==[" + b + "]==]" for b in bodies), path))
    try:
        out = subprocess.run(
            ["wrk", "-t", str(min(2, connections)), "-c", str(connections), "-d", f"{max(1, round(seconds))}s",
             "--timeout", timeout, "--latency", "-s", script.name, url],
            capture_output=True, text=True, check=True,
        ).stdout
    finally:
        os.unlink(script.name)
    failed = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
    failed += sum(int(n) for line in re.findall(r"Socket errors:(.*)", out) for n in re.findall(r"\d+", line))
    requests = int(_found(r"(\d+) requests in", out))
    if requests == 0:
        raise RuntimeError(f"no request to {url} finished in {seconds:g} s:\n{out}")
    return WrkRun(_latency(out, "50"), _latency(out, "99"), float(_found(r"Requests/sec:\s+([\d.]+)", out)),
                  requests, failed)


def _found(pattern: str, out: str) -> str:
    match = re.search(pattern, out)
    if match is None:
        raise RuntimeError(f"wrk's output has no {pattern!r}:\n{out}")
    return match.group(1)


def _latency(out: str, percentile: str) -> float:
    match = re.search(rf"^\s+{percentile}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
    if match is None:
        raise RuntimeError(f"wrk's output has no {percentile}th percentile:\n{out}")
    return float(match.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[match.group(2)]
