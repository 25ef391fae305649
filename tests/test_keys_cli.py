"""`alliance keys create | list | revoke | rotate` on both stores, as from a shell: the secret printed once on
stdout, never by list; a running service (its own cache) refuses a revoked key within the window."""

from __future__ import annotations

import asyncio

import pytest

from service.cli import main
from service.errors import KeyRevoked, Unauthenticated
from service.graph.port import GraphStore
from service.keys import StoredKeys, key_id_of
from service.model import Label
from tests.contract import small_graph
from tests.contract.small_graph import STREET_A

pytestmark = pytest.mark.usefixtures("cli_on_store")


async def _alliance(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = await asyncio.to_thread(main, ["keys", *argv])  # the CLI runs its own event loop
    out, err = capsys.readouterr()
    return code, out, err


async def test_create_list_revoke_rotate(store: GraphStore, capsys: pytest.CaptureFixture[str]) -> None:
    await small_graph.build(store)
    code, out, err = await _alliance(capsys, "create", "--role", "viewer", "--region", STREET_A,
                                     "--expires", "2099-12-31", "--note", "street office")
    secret = out.strip()
    key_id = key_id_of(secret)
    assert code == 0 and key_id and out == secret + "\n"  # stdout holds the secret alone: it can be piped
    assert f"created {key_id}  active   viewer    region {STREET_A}" in err and "expires 2100-01-01T00:00:00Z" in err
    assert "shown this once" in err and secret not in err
    node = await store.get_node(key_id, Label.API_KEY)
    assert node is not None and secret not in str(node.props) and node.props["hash"]

    service = StoredKeys(ttl=0)  # a running worker's view, re-read on every request
    caller = await service.authenticate(store, secret)
    assert (caller.role.value, caller.region_id, caller.key_id) == ("viewer", STREET_A, key_id)

    code, out, err = await _alliance(capsys, "list")
    assert code == 0 and key_id in out and "street office" in out and "active" in out
    assert secret.rsplit("_", 1)[1] not in out + err and node.props["hash"] not in out

    code, out, err = await _alliance(capsys, "rotate", key_id)
    new_secret = out.strip()
    assert code == 0 and key_id_of(new_secret) == key_id and new_secret != secret and f"rotated {key_id}" in err
    with pytest.raises(Unauthenticated):
        await service.authenticate(store, secret)
    assert (await service.authenticate(store, new_secret)).key_id == key_id

    code, out, err = await _alliance(capsys, "revoke", key_id)
    assert code == 0 and out == "" and f"revoked {key_id}  revoked" in err
    with pytest.raises(KeyRevoked):
        await service.authenticate(store, new_secret)
    code, out, _ = await _alliance(capsys, "list")
    assert f"{key_id}  revoked" in out


async def test_bad_input_is_named_and_writes_nothing(store: GraphStore, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = await _alliance(capsys, "create", "--role", "viewer", "--region", "R-NOWHERE")
    assert code == 1 and out == "" and "error [VALIDATION]: region 'R-NOWHERE' does not exist" in err
    code, out, err = await _alliance(capsys, "create", "--role", "admin", "--expires", "31/12/2099")
    assert code == 1 and out == "" and "'31/12/2099' is not a date" in err
    code, _, err = await _alliance(capsys, "revoke", "ak-nothing")
    assert code == 1 and "error [NOT_FOUND]: no API key with id 'ak-nothing'" in err
    code, out, _ = await _alliance(capsys, "list")
    assert code == 0 and out.startswith("no stored keys")
