"""`alliance serve` that also appends every Cypher statement it runs, with its parameters, to a file.

    CAPTURE_FILE=/tmp/x.jsonl .venv/bin/python -m bench.service_capture serve --port 8001

bench/bench_peer.py starts the service this way (one worker: the patch lives in this process) for
its PROFILE phase only, so the statements profiled are exactly the ones a question ran, with the
same parameters; the timed server is a plain `alliance serve`.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping
from typing import Any

from service import cli
from service.graph.neo4j.executor import Neo4jExecutor


def _patch(path: str) -> None:
    run = Neo4jExecutor.run

    async def recorded(self: Neo4jExecutor, query: Any, params: Mapping[str, Any] | None = None,
                       **kwargs: Any) -> Any:
        with open(path, "a", encoding="utf-8") as out:
            out.write(json.dumps({"query": query, "params": dict(params or {})}, default=str) + "\n")
        return await run(self, query, params, **kwargs)

    Neo4jExecutor.run = recorded  # type: ignore[method-assign]


def main() -> None:
    _patch(os.environ["CAPTURE_FILE"])
    sys.exit(cli.main(sys.argv[1:]))


if __name__ == "__main__":
    main()
