"""Every root field and nested path of the served schema, read with a key of every role and of one
street, with ids of each street: no raw personal value reaches a role but admin, no node of the other
street reaches the street's keys, no answer is a 5xx or INTERNAL, no refusal costs more than its CPU
budget. The admin's answers must show every personal property the schema serves, so the walk cannot
pass by reaching none of them."""

from __future__ import annotations

import json

from service.model import Label
from service.registry import label_spec, personal_properties, personal_relationship_properties
from tests.security.conftest import KEYS, LONG, STREET_ROLES, THIN_ROLES, Secured, Tally
from tests.security.graph import SIDE_A, SIDES
from tests.security.walk import path_name

DEPTH = 4 if LONG else 3  # the quick walk reaches every (type, field) edge by depth 3; the long one every path


async def test_every_path_read_with_every_key_masks_personal_data_and_keeps_to_the_region(secured: Secured) -> None:
    schema, tally, seen_by_admin = secured.schema, Tally(), set()
    walked: set[tuple[str, str]] = set()
    for path in schema.paths(schema.query_type, DEPTH, every_path=LONG):
        parent = schema.query_type
        for step, _, target in path:
            walked.add((step.on or parent, step.field))
            parent = target
        for side in SIDES:
            query, variables = schema.query(path, secured.graph, side)
            what = f"{path_name(path)} ({side}) {query} {json.dumps(variables, ensure_ascii=False)}"
            roles = THIN_ROLES if secured.thin else tuple(KEYS)
            for role in roles if side == SIDE_A else STREET_ROLES & set(roles):  # side B: for the street keys
                answer = await secured.ask_judged(role, query, variables)
                tally.count(f"read depth {len(path)}", answer, what)
                tally.failures += secured.problems(role, answer, what)
                if role == "admin":
                    seen_by_admin |= secured.personal_seen(answer.text)
    print("\n" + tally.report(f"security reads on {secured.store_kind}"))

    assert not tally.failures, "\n".join(tally.failures[:40])
    unwalked = schema.reachable_edges(schema.query_type) - walked
    assert not unwalked, f"the walk at depth {DEPTH} never took these fields: {sorted(unwalked)}"
    reached = {secured.graph.personal[v] for v in seen_by_admin}
    owners = {owner.split(" ")[0] for owner, _ in reached}
    # an agreement version's signatories are shown through Agreement.history (tests/api/test_corrections.py)
    declared = {(label.value, name) for label, props in personal_properties().items() for name in props
                if label_spec(label).region_path is not None}
    declared |= {(type.value, name) for type, props in personal_relationship_properties().items() for name in props}
    missing = sorted(d for d in declared if not any(o == d[0] and n == d[1] for o, n in
                                                    ((owner.split(" ")[0], n) for owner, n in reached)))
    assert not missing, f"the walk never showed the admin these personal properties: {missing} (reached {owners})"
    assert Label.MEMBER.value in owners
