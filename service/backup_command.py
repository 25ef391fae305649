"""`alliance backup FILE` and `alliance restore FILE` (service/backup.py) on the store the settings name.

The backup holds everything the store holds, personal data included: it is written with mode 0600 and
belongs wherever the store itself is kept safe."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from service.settings import Settings


def add_command(sub: argparse._SubParsersAction) -> None:
    backup = sub.add_parser(
        "backup", help="write the whole graph to one file (gzip'd JSON lines, mode 0600) while the service runs")
    backup.add_argument("file", type=Path, help="the file to write; it must not exist yet (FILE.partial until done)")
    restore = sub.add_parser("restore", help="check a backup file whole, then write it into an EMPTY store "
                                             "(of either kind)")
    restore.add_argument("file", type=Path, help="a file `alliance backup` wrote")
    restore.add_argument("--allow-other-model", action="store_true",
                         help="restore a backup written under another version of the model, when every label "
                              "and relationship type it holds is known to this one")


def _counts(nodes: int, relationships: int) -> str:
    return f"{nodes:,} nodes and {relationships:,} relationships"


async def run(args: argparse.Namespace, settings: Settings, service_version: str) -> int:
    from service import backup
    from service.graph import open_store

    store = open_store(settings)
    started = time.perf_counter()
    try:
        if args.command == "backup":
            done = await backup.backup(store, args.file, settings.store.value, service_version)
            retried = f" (consistent on attempt {done.attempts})" if done.attempts > 1 else ""
            print(f"backed up {_counts(done.node_total, done.relationship_total)} to {done.path} in "
                  f"{time.perf_counter() - started:.1f} s{retried}; it holds personal data: keep it as safe "
                  "as the store")
        else:
            done = await backup.restore(store, args.file, settings.store_location(), args.allow_other_model)
            print(f"restored {_counts(done.node_total, done.relationship_total)} from {done.path} (written "
                  f"{done.header.get('created')} from the {done.header.get('store')} store) in "
                  f"{time.perf_counter() - started:.1f} s", file=sys.stdout)
    finally:
        await store.close()
    return 0
