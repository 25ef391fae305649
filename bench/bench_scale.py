"""Every canonical question on Neo4j at one scale (issue 13, part 2): uncached p50/p99 with one client, the
rate with 16 clients (wrk), and the PROFILE db hits of the statements one request ran.

    make bench-scale        # = .venv/bin/python -m bench.bench_scale --scales 1,10,30

loads `alliance demo --profile guangdong --scale N --bulk` into a local Neo4j of its own per scale (HOME
.neo4j/scale-xN, kept, so a second run skips the load; the largest with ALLIANCE_NEO4J_HEAP and _PAGECACHE as
set, default 2g and 2 GiB), measures each with the others stopped, and prints the table. One scale against a
Neo4j already loaded:

    set -a; . .neo4j/province/env; set +a
    .venv/bin/python -m bench.bench_scale --label x30 --out /tmp/scale-x30.json [--per-question 5]
    .venv/bin/python -m bench.bench_scale --table /tmp/scale-x1.json /tmp/scale-x10.json /tmp/scale-x30.json

With --per-question and --neo4j-home (a local server's home), each question's wrk run also records the CPU one
request cost the service (its workers) and Neo4j, from /proc, and the rate this machine's cores would allow at
that cost: the arithmetic behind issue 13's 300 req/s on two cores shared by both.

Reads only. Every question asks about the same things at every scale: the first replica of the huadu
district (440114) and its units, which every guangdong scale holds unchanged, so an answer's size stays the
same and only the province around it grows. The listings and connections without a region filter page
through the whole province (their totalCount grows with it, by design).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from bench import wrk as wrk_tool
from bench.bench_load_csv import server_pid
from bench.bench_peer import KEY, profile, service
from bench.common import cpu_seconds

DISTRICT = "440114"  # huadu, replica 1: present unchanged at every guangdong scale
SEARCH_TEXT = "花都"

PAGE = "totalCount nodes { id }"
QUESTIONS: dict[str, str] = {
    "pairedUnits": "query($org: ID!) { pairedUnits(organisationId: $org) { unit { ... on Node { id } } "
                   "agreements { id } } }",
    "listItems": f"query {{ listItems(first: 50) {{ {PAGE} }} }}",
    "listItems list": f"query {{ listItems(first: 50, where: {{list: RESOURCE}}) {{ {PAGE} }} }}",
    "listItems category": f"query($cat: String!) {{ listItems(first: 50, where: {{category: $cat}}) {{ {PAGE} }} }}",
    "listItems status": f"query {{ listItems(first: 50, where: {{status: \"OPEN\"}}) {{ {PAGE} }} }}",
    "listItems publisher": f"query($pub: ID!) {{ listItems(first: 50, where: {{publisherId: $pub}}) {{ {PAGE} }} }}",
    "listItems region": f"query($district: ID!) {{ listItems(first: 50, where: {{regionId: $district}}) "
                        f"{{ {PAGE} }} }}",
    "listItems unclaimed": f"query {{ listItems(first: 50, where: {{unclaimed: true}}) {{ {PAGE} }} }}",
    "organisations": f"query {{ organisations(first: 50) {{ {PAGE} }} }}",
    "organisations region": f"query($district: ID!) {{ organisations(first: 50, where: {{regionId: $district}}) "
                            f"{{ {PAGE} }} }}",
    "agreements": f"query {{ agreements(first: 50) {{ {PAGE} }} }}",
    "enterprises": f"query {{ enterprises(first: 50) {{ {PAGE} }} }}",
    "regions": f"query {{ regions(first: 50) {{ {PAGE} }} }}",
    "node": "query($org: ID!) { node(id: $org) { id ... on Organisation { name kind } } }",
    "search": "query($text: String!) { search(text: $text, first: 10) { ... on Node { id } } }",
    "regionStats": "query($district: ID!) { regionStats(regionId: $district) { total counts { label count } } }",
    "neighbourhood": "query($org: ID!) { neighbourhood(id: $org, depth: 1, limit: 100) { nodes { id } "
                     "edges { type start end } truncated } }",
    "path": "query($org: ID!, $other: ID!) { path(from: $org, to: $other) { nodes { id } edges { type } } }",
}


def variables(env: Mapping[str, str]) -> dict[str, str]:
    """Ids of the huadu district (replica 1), found in the data: an organisation with an ACTIVE agreement, the
    unit it is paired with (for path), an item publisher and a category."""
    from neo4j import GraphDatabase

    with GraphDatabase.driver(env["ALLIANCE_NEO4J_URI"],
                              auth=(env.get("ALLIANCE_NEO4J_USER", "neo4j"), env["ALLIANCE_NEO4J_PASSWORD"])) as d:
        def one(query: Any) -> Any:
            records, _, _ = d.execute_query(query, {"prefix": f"ORG-{DISTRICT}-"},
                                            database_=env.get("ALLIANCE_NEO4J_DATABASE", "neo4j"))
            return records[0]

        org = one("MATCH (o:Organisation)-[:PARTY_TO]->(a:Agreement {status: 'ACTIVE'})<-[:PARTY_TO]-(u) "
                  "WHERE o.id STARTS WITH $prefix RETURN o.id AS org, u.id AS other ORDER BY org, other LIMIT 1")
        pub = one("MATCH (p:Organisation)-[:PUBLISHED]->(i:ListItem) WHERE p.id STARTS WITH $prefix "
                  "RETURN p.id AS pub, i.category AS cat ORDER BY pub LIMIT 1")
    return {"org": org["org"], "other": org["other"], "pub": pub["pub"], "cat": pub["cat"],
            "district": DISTRICT, "text": SEARCH_TEXT}


def _used(query: str, values: Mapping[str, str]) -> dict[str, str]:
    return {k: v for k, v in values.items() if f"${k}" in query}


def measure(label: str, requests: int, seconds: float, clients: int, per_question: float = 0,
            workers: int = 1, only: list[str] | None = None, neo4j_home: Path | None = None) -> dict[str, Any]:
    env = dict(os.environ)
    questions = {name: q for name, q in QUESTIONS.items() if not only or name in only}
    values = variables(env)
    out: dict[str, Any] = {"label": label, "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                           "load_before": os.getloadavg()[0], "variables": values, "questions": {},
                           "workers": workers}
    with tempfile.TemporaryDirectory() as tmp:  # db hits: the statements one request ran, PROFILEd
        capture = Path(tmp) / "statements.jsonl"
        with service(env, capture) as server:
            for name, query in questions.items():
                capture.write_text("")
                started = time.perf_counter()
                try:
                    server.post(query, _used(query, values))
                except RuntimeError as exc:  # over the request budget: recorded, not measured further
                    out["questions"][name] = {"error": str(exc)[:300], "db_hits": None}
                    print(f"{name}: {exc}", file=sys.stderr, flush=True)
                    continue
                print(f"{name}: first answer in {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
                hits, statements = profile(capture, env)
                out["questions"][name] = {"db_hits": hits, "statements": statements}
    working = {name: q for name, q in questions.items() if "error" not in out["questions"][name]}
    neo4j = server_pid(neo4j_home) if neo4j_home else None
    out["cores"] = os.cpu_count()
    with service(env, workers=workers) as server:
        for name, query in working.items():
            body = _used(query, values)
            answer = server.post(query, body)  # warm-up (plans), and the answer's size
            times = []
            for _ in range(requests):
                started = time.perf_counter()
                server.post(query, body)
                times.append((time.perf_counter() - started) * 1000)
            times.sort()
            row = out["questions"][name]
            row.update(p50=statistics.median(times), p99=times[min(len(times) - 1, round(0.99 * len(times)) - 1)],
                       answer_bytes=len(json.dumps(answer)))
            total = next((v.get("totalCount") for v in answer.values() if isinstance(v, dict)), None)
            if total is not None:
                row["totalCount"] = total
            print(f"{name}: p50 {row['p50']:.1f} ms, p99 {row['p99']:.1f} ms, {row['db_hits']:,} db hits",
                  file=sys.stderr, flush=True)
        if clients and per_question:  # each question alone at 16 clients: the issue's >= 300 req/s is per question
            for name, query in working.items():
                request = json.dumps({"query": query, "variables": _used(query, values)})
                before = server.cpu_seconds(), cpu_seconds(neo4j)
                run = wrk_tool.run(server.url, server.path, KEY, [request], clients, per_question, timeout="60s")
                row = out["questions"][name]
                row.update(rate=run.rate, rate_p50=run.p50, rate_p99=run.p99, failed=run.failed)
                if neo4j is not None and run.requests:
                    row.update(cpu_service=(server.cpu_seconds() - before[0]) * 1000 / run.requests,
                               cpu_neo4j=(cpu_seconds(neo4j) - before[1]) * 1000 / run.requests)
                print(f"{name}: {run.rate:,.0f} req/s at {clients} clients", file=sys.stderr, flush=True)
        if clients:
            bodies = [json.dumps({"query": q, "variables": _used(q, values)}) for q in working.values()]
            run = wrk_tool.run(server.url, server.path, KEY, bodies, clients, seconds, timeout="60s")
            out["mixed"] = {"clients": clients, "seconds": seconds, "rate": run.rate, "p50": run.p50, "p99": run.p99,
                            "requests": run.requests, "failed": run.failed}
    out["load_after"] = os.getloadavg()[0]
    return out


def table(runs: list[dict[str, Any]]) -> str:
    labels = [r["label"] for r in runs]
    rated = [x for x, r in zip(labels, runs, strict=True) if any("rate" in q for q in r["questions"].values())]
    head = ("| question | " + " | ".join(f"{x} p50 / p99 ms" for x in labels) + f" | {labels[-1]} / {labels[0]} p50 | "
            + " | ".join(f"{x} db hits" for x in labels) + "".join(f" | {x} req/s at 16" for x in rated) + " |")
    lines = [head, "|---|" + "---:|" * (2 * len(labels) + 1 + len(rated))]
    for name in (n for n in QUESTIONS if any(n in r["questions"] for r in runs)):
        cells = [r["questions"].get(name, {"error": "not asked"}) for r in runs]
        ratio = (f"{cells[-1]['p50'] / cells[0]['p50']:.2f}×" if "p50" in cells[-1] and "p50" in cells[0] else "—")
        lines.append(f"| {name} | " + " | ".join(f"{c['p50']:.1f} / {c['p99']:.1f}" if "p50" in c
                                                 else c["error"] if c["error"] == "not asked"
                                                 else "over budget (30 s)" for c in cells)
                     + f" | {ratio} | " + " | ".join(f"{c['db_hits']:,}" if c.get("db_hits") is not None
                                                      else "—" for c in cells)
                     + "".join(f" | {c['rate']:,.0f}" if "rate" in c else " | —"
                               for c, x in zip(cells, labels, strict=True) if x in rated) + " |")
    mixed = [r.get("mixed") for r in runs]
    if any(mixed):
        lines.append("| all questions asked that answer, in turn, 16 clients (wrk): req/s (p50 / p99 ms) | "
                     + " | ".join(f"{m['rate']:.0f} ({m['p50']:.0f} / {m['p99']:.0f})" if m else "—" for m in mixed)
                     + " | | " + " | ".join("" for _ in runs) + "".join(" |" for _ in rated) + " |")
    lines.append("")
    lines += [f"- {r['label']}: {name} failed: {c['error']}" for r in runs for name, c in r["questions"].items()
              if "error" in c]
    lines += cpu_table(runs)
    lines += [f"- {r['label']}: {r['when']}, load average {r['load_before']:.2f} before, {r['load_after']:.2f} after"
              for r in runs]
    return "\n".join(lines)


def cpu_table(runs: list[dict[str, Any]]) -> list[str]:
    """CPU per request at 16 clients, the service's and Neo4j's, and the rate the machine's cores allow at that
    cost (cores / CPU per request): a question whose ceiling is under 300 req/s cannot reach it here."""
    costed = [r for r in runs if any("cpu_service" in q for q in r["questions"].values())]
    if not costed:
        return []
    lines = ["", "| question | " + " | ".join(f"{r['label']} CPU ms per request: service + Neo4j | {r['label']} "
                                                f"req/s at 16 / the cores' ceiling" for r in costed) + " |",
             "|---|" + "---:|---:|" * len(costed)]
    for name in (n for n in QUESTIONS if any("cpu_service" in r["questions"].get(n, {}) for r in costed)):
        cells = []
        for r in costed:
            q = r["questions"].get(name, {})
            if "cpu_service" not in q:
                cells.append("— | —")
                continue
            total = q["cpu_service"] + q["cpu_neo4j"]
            cells.append(f"{q['cpu_service']:.2f} + {q['cpu_neo4j']:.2f} = {total:.2f} | "
                         f"{q['rate']:,.0f} / {r['cores'] * 1000 / total:,.0f}")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return lines


def run_scales(scales: list[int], root: Path, requests: int, seconds: float, clients: int,
               per_question: float = 0) -> list[dict[str, Any]]:
    """Each scale in its own local Neo4j (loaded by the offline importer when empty), measured in turn."""
    import subprocess

    from service import neo4j_local

    runs = []
    for scale in scales:
        home = root / f"scale-x{scale}"
        os.environ.setdefault("ALLIANCE_NEO4J_PAGECACHE", str(2 << 30))
        server = neo4j_local.start(home, timeout=900)
        env = {**os.environ, "ALLIANCE_STORE": "neo4j", "ALLIANCE_NEO4J_URI": server.uri,
               "ALLIANCE_NEO4J_USER": server.user, "ALLIANCE_NEO4J_PASSWORD": server.password,
               "ALLIANCE_NEO4J_DATABASE": server.database}
        try:
            # --if-empty: a home loaded by an earlier run is measured as it is
            subprocess.run([sys.executable, "-m", "service.cli", "demo", "--profile", "guangdong", "--scale",
                            str(scale), "--no-analyze", "--bulk", "--if-empty", "--neo4j-home", str(home)],
                           env=env, check=True)
            server = neo4j_local.status(home) or server  # the import restarts it
            env["ALLIANCE_NEO4J_URI"] = server.uri
            out = root / f"scale-x{scale}.json"
            subprocess.run([sys.executable, "-m", "bench.bench_scale", "--label", f"x{scale}", "--out", str(out),
                            "--requests", str(requests), "--seconds", str(seconds), "--clients", str(clients),
                            "--per-question", str(per_question), "--neo4j-home", str(home)],
                           env=env, check=True)
            runs.append(json.loads(out.read_text()))
        finally:
            neo4j_local.stop(home)
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--label", default="run", help="the scale's name in the table (x1, x10, province)")
    parser.add_argument("--out", type=Path, help="write this run's figures as JSON here")
    parser.add_argument("--requests", type=int, default=100, help="one-client requests per question")
    parser.add_argument("--clients", type=int, default=16, help="wrk connections for the mixed rate (0: skip)")
    parser.add_argument("--seconds", type=float, default=20, help="wrk duration")
    parser.add_argument("--workers", type=int, default=1, help="`alliance serve --workers` for the timed runs")
    parser.add_argument("--per-question", type=float, default=0, metavar="SECONDS",
                        help="also each question alone at --clients for this long (its own req/s)")
    parser.add_argument("--table", type=Path, nargs="+", help="print the table of these runs' JSON files and stop")
    parser.add_argument("--only", help="ask only these questions (comma-separated names, e.g. regionStats)")
    parser.add_argument("--scales", help="load and measure each guangdong scale in a Neo4j of its own, e.g. 1,10,30")
    parser.add_argument("--root", type=Path, default=Path(".neo4j"), help="with --scales: where their homes are")
    parser.add_argument("--neo4j-home", type=Path, default=os.environ.get("ALLIANCE_NEO4J_HOME"),
                        help="the local Neo4j's home, to count its CPU per request (default: $ALLIANCE_NEO4J_HOME)")
    args = parser.parse_args()
    if args.scales:
        runs = run_scales([int(s) for s in args.scales.split(",")], args.root, args.requests, args.seconds,
                          args.clients, args.per_question)
        print(table(runs))
        return
    if args.table:
        print(table([json.loads(p.read_text()) for p in args.table]))
        return
    only = [name.strip() for name in args.only.split(",")] if args.only else None
    if only and (unknown := set(only) - set(QUESTIONS)):
        parser.error(f"--only: no question named {', '.join(sorted(unknown))}; the questions: {', '.join(QUESTIONS)}")
    result = measure(args.label, args.requests, args.seconds, args.clients, args.per_question, args.workers, only,
                     args.neo4j_home)
    if args.out:
        args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1))
    print(table([result]))


if __name__ == "__main__":
    main()
