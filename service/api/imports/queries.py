"""The import history, newest first, for the importer and admin roles."""

from __future__ import annotations

import strawberry

from service.api.imports.types import Import
from service.api.limits import DEFAULT_FIRST
from service.api.shared.connections import Connection
from service.api.shared.listing import listing
from service.api.shared.nodes import Info
from service.model import Label
from service.roles import WRITERS


@strawberry.type
class ImportQuery:
    @strawberry.field(description="Files loaded (alliance load, POST /import), newest first; importer and admin keys.")
    async def imports(self, info: Info, first: int = DEFAULT_FIRST, after: str | None = None) -> Connection[Import]:
        info.context.caller.require_role(WRITERS, "the import history")
        return await listing(info, Label.IMPORT, None, (), first, after, "at")
