"""The committed service/schema.graphql is the schema the code serves."""

from __future__ import annotations

from service.api.export_schema import SDL_PATH, sdl


def test_committed_sdl_matches_the_code() -> None:
    assert SDL_PATH.read_text(encoding="utf-8") == sdl(), (
        "service/schema.graphql drifted from the code; run `python -m service.api.export_schema`"
    )


def test_canonical_root_fields_are_named_as_dashboards_expect() -> None:
    text = sdl()
    for field in ("pairedUnits(organisationId: ID!)", "listItems(", "organisations(", "enterprises(", "agreements(",
                  "alliances(", "regions(", "node(id: ID!)", "search(text: String!", "regionStats(regionId: ID!)",
                  "neighbourhood(id: ID!", "path(from: ID!, to: ID!)", "signAgreement(", "claimItem(",
                  "releaseClaim(", "upsertOrganisations(", "upsertEnterprises(", "upsertMembers("):
        assert field in text, field
