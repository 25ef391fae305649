"""An agreement's versions: what a write changed on an existing agreement, kept as an
AgreementVersion record instead of being overwritten.

Both stores snapshot the agreements a batch touches (the agreement rows it writes and the ends of
its PARTY_TO rows) before the batch and again after it, inside the same transaction, and write one
version per agreement that changed: its tracked properties (a renewal's new dates, a status) and
its parties (a load or a re-signing that replaces a 甲方 or 乙方 — the relationships the loader
reports as "replaced"). New agreements leave none, nor do parties that are only added (a load
writes an agreement, then its organisations' and its enterprises' parties): a version keeps what a
change overwrote, and an addition overwrites nothing.

Signatories are personal (the registry's PARTY_TO.signatory); their changes are kept apart in the
version's `signatories`, which the registry declares personal, so Agreement.history masks them as
it masks the agreement's parties."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from service.graph.provenance import Actor
from service.model import Label
from service.registry import WITHDRAWN_PROPS, label_spec

PARTIES = "parties"
SIGNATORY = "signatory"
_UNTRACKED = {"id"} | {p.name for p in WITHDRAWN_PROPS}  # a withdrawal is not a new version of the agreement


def tracked() -> tuple[str, ...]:
    """The agreement properties a version compares, from the registry."""
    return tuple(p.name for p in label_spec(Label.AGREEMENT).props if p.name not in _UNTRACKED)


@dataclass(frozen=True, slots=True)
class AgreementState:
    props: Mapping[str, Any]
    parties: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # unit id -> PARTY_TO properties


def touched(agreement_rows: Iterable[Mapping[str, Any]], party_ends: Iterable[str]) -> list[str]:
    """The agreements a batch may change: those it writes and those it links parties to."""
    return sorted({str(r["id"]) for r in agreement_rows} | set(party_ends))


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _parties(state: AgreementState) -> str:
    """The parties as one comparable text: `role: unit` sorted by role, then unit."""
    rows = sorted((str(p.get("role") or ""), unit) for unit, p in state.parties.items())
    return "; ".join(f"{role}: {unit}" if role else unit for role, unit in rows)


def _signatories(state: AgreementState) -> dict[str, str | None]:
    return {str(p.get("role") or unit): _text(p.get(SIGNATORY)) for unit, p in state.parties.items()}


def _lost(before: AgreementState, after: AgreementState) -> bool:
    """Whether a party of `before` is gone or one of its values (role, signatory) was replaced."""
    for unit, props in before.parties.items():
        now = after.parties.get(unit)
        if now is None or any(now.get(k) != v for k, v in props.items()):
            return True
    return False


def changes(before: AgreementState, after: AgreementState) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(the non-personal changes, the signatories' changes), each [{field, before, after}]."""
    found = [
        {"field": name, "before": _text(before.props.get(name)), "after": _text(after.props.get(name))}
        for name in tracked() if before.props.get(name) != after.props.get(name)
    ]
    if not _lost(before, after):  # parties only added: nothing overwritten (a load writes them group by group)
        return found, []
    old, new = _parties(before), _parties(after)
    if old != new:
        found.append({"field": PARTIES, "before": old or None, "after": new or None})
    signed_before, signed_after = _signatories(before), _signatories(after)
    signatories = [
        {"field": f"{SIGNATORY}:{role}", "before": signed_before.get(role), "after": signed_after.get(role)}
        for role in sorted(signed_before.keys() | signed_after.keys())
        if signed_before.get(role) != signed_after.get(role)
    ]
    return found, signatories


def version_rows(
    before: Mapping[str, AgreementState], after: Mapping[str, AgreementState], at: str, actor: Actor
) -> list[dict[str, Any]]:
    """One AgreementVersion row per agreement that existed before and changed."""
    rows = []
    for agreement_id, old in sorted(before.items()):
        new = after.get(agreement_id)
        if new is None:
            continue
        plain, signed = changes(old, new)
        if not plain and not signed:
            continue
        row: dict[str, Any] = {
            "id": f"AV-{uuid.uuid4().hex}", "agreement": agreement_id, "at": at,
            "operation": actor.operation, "keyId": actor.key_id,
            "fields": [c["field"] for c in plain] + ([SIGNATORY] if signed else []),
            "changes": json.dumps(plain, ensure_ascii=False),
        }
        if signed:
            row["signatories"] = json.dumps(signed, ensure_ascii=False)
        rows.append(row)
    return rows


def decoded(value: Any) -> list[dict[str, Any]]:
    """A version's `changes` or `signatories` as a list of {field, before, after}."""
    if not value:
        return []
    loaded = json.loads(str(value))
    return [dict(c) for c in loaded] if isinstance(loaded, Sequence) else []
