"""`alliance keys create | list | revoke | rotate`: the stored API keys (service/keys.py) of the store the
settings name. A secret is printed once, by create and rotate, on stdout alone so it can be piped; everything
else goes to stderr."""

from __future__ import annotations

import argparse
import sys

from service import audit
from service.keys import IssuedKey, KeyRecord, create_key, list_keys, now_utc, revoke_key, rotate_key
from service.roles import Role
from service.settings import Settings


def add_command(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("keys", help="make, list, revoke or rotate API keys kept in the store (no restart needed)")
    actions = p.add_subparsers(dest="action", required=True)
    create = actions.add_parser("create", help="make a key and print its secret, once")
    create.add_argument("--role", required=True, choices=[r.value for r in Role], help="the role the key grants")
    create.add_argument("--region", metavar="ID", help="limit the key to this region's subtree (default: all)")
    create.add_argument("--expires", metavar="DATE",
                        help="YYYY-MM-DD (the key works through that day, UTC) or an ISO date-time (default: never)")
    create.add_argument("--note", metavar="TEXT", help="who or what the key is for (shown by list)")
    actions.add_parser("list", help="every stored key: id, role, region, dates and state; never a secret")
    revoke = actions.add_parser("revoke", help="stop a key for good (every worker within a few seconds)")
    revoke.add_argument("id", help="the key id (ak-…), as list shows it")
    rotate = actions.add_parser("rotate", help="a new secret for a key, printed once; the old one stops working")
    rotate.add_argument("id", help="the key id (ak-…), as list shows it")


def describe(key: KeyRecord) -> str:
    """One line of `alliance keys list`."""
    return (f"{key.id}  {key.state(now_utc()):<7}  {key.role.value:<8}  region {key.region_id or '(all)'}  "
            f"created {key.created}  expires {key.expires or 'never'}"
            + (f"  revoked {key.revoked}" if key.revoked else "")
            + (f"  rotated {key.rotated}" if key.rotated else "")
            + (f"  note {key.note}" if key.note else ""))


def _issued(key: IssuedKey, what: str) -> None:
    print(f"{what} {describe(key.record)}", file=sys.stderr)
    print("the secret below is shown this once; only its hash is kept", file=sys.stderr, flush=True)
    print(key.secret, flush=True)


async def run(args: argparse.Namespace, settings: Settings) -> int:
    from service.graph import open_store

    store = open_store(settings)
    try:
        await store.migrate()
        if args.action == "create":
            async with audit.recorded(store, audit.cli_actor(), "keys.create", [args.region]):
                issued = await create_key(store, args.role, args.region, args.expires, args.note)
            _issued(issued, "created")  # printed once its record is written
        elif args.action == "rotate":
            async with audit.recorded(store, audit.cli_actor(), "keys.rotate", [args.id]):
                issued = await rotate_key(store, args.id)
            _issued(issued, "rotated")
        elif args.action == "revoke":
            async with audit.recorded(store, audit.cli_actor(), "keys.revoke", [args.id]):
                revoked = await revoke_key(store, args.id)
            print(f"revoked {describe(revoked)}", file=sys.stderr)
        else:
            keys = await list_keys(store)
            print("\n".join(describe(k) for k in keys) if keys else "no stored keys (alliance keys create makes one)")
    finally:
        await store.close()
    return 0
