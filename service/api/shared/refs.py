"""The names under which one domain's types refer to another domain's object types.

A domain refers to another domain's type by name and module, resolved when the schema is built:

    async def region(self, info: Info) -> Annotated["Region", strawberry.lazy("service.api.regions.types")] | None:

so no domain's types import another domain's types (a domain imports another only to construct
its objects: units build AgreementParty, ItemClaim, AllianceMembership and UnitAnalytics).

The type checker reads the quoted name in the referring module, so that module imports it from
here under `if TYPE_CHECKING:`. To it, each name is the Node interface: all the referring code
knows of such an object is that `wrap()` built it from a node. Importing the real class instead,
even under TYPE_CHECKING, would make the domains import each other in a ring (tools/layers.py
counts those imports too). The names exist only for the type checker: a reference that forgets
`strawberry.lazy` fails when the schema is built rather than serving the interface.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from service.api.shared.nodes import Entity

    Actor: TypeAlias = Entity  # service.api.units.types, Member | Organisation | Enterprise
    Agreement: TypeAlias = Entity  # service.api.agreements.types
    Alliance: TypeAlias = Entity  # service.api.alliances.types
    Enterprise: TypeAlias = Entity  # service.api.units.types
    ListItem: TypeAlias = Entity  # service.api.lists.types
    Matter: TypeAlias = Entity  # service.api.meetings.types
    Meeting: TypeAlias = Entity  # service.api.meetings.types
    Member: TypeAlias = Entity  # service.api.units.types
    Organisation: TypeAlias = Entity  # service.api.units.types
    Region: TypeAlias = Entity  # service.api.regions.types
    ServiceCentre: TypeAlias = Entity  # service.api.service_centres.types
    Team: TypeAlias = Entity  # service.api.teams.types
    Unit: TypeAlias = Entity  # service.api.units.types, Organisation | Enterprise
    Wish: TypeAlias = Entity  # service.api.wishes.types
