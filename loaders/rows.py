"""The vocabulary a KIND of file is declared in (loaders/kinds.py, loaders/workflow_kinds.py): its columns,
the node a row is, the columns naming other nodes, and the relationships a row writes. Declarations
only: loaders/writes.py and loaders/engine.py execute them, the same way for every kind."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, Protocol

from pydantic import BaseModel, ConfigDict

from service.graph.port import GraphStore
from service.graph.types import Node
from service.model import Label, RelType
from service.registry import UNITS

UNIT = UNITS  # the labels a unit column may name


class RowContext(Protocol):
    """What a kind reads beside its rows (loaders/parties.py): after the rows, what was never used is
    reported as (row number, column, reason) rejects."""

    def leftovers(self) -> list[tuple[int, str, str]]: ...
SELF = ""  # a Link's end that is the row's own node


@dataclass(frozen=True, eq=False)  # compared by identity: a hash key of every reference resolved
class Ref:
    """A column naming other nodes: by id, by credit code (when it may name an enterprise, whose id is its
    unified social credit code) and, with `by_name`, by exact name; one value, or a list with `many`."""

    labels: tuple[Label, ...]
    what: str  # the word used in "unknown <what> 'x'"
    by_name: bool = True
    many: bool = False
    # resolves the values itself, for a reference with rules beyond existing (reports): value -> node or reason
    resolver: Callable[[GraphStore, list[str]], Awaitable[dict[str, Node | str]]] | None = None


@dataclass(frozen=True)
class Link:
    """A relationship a row writes: `type` from `start` to `end`, each a column of the row's REFS (every node
    it names) or SELF (the row's own node). `props` are relationship properties from the row's fields
    (property -> field, left out when empty), `fixed` constant ones; with `when`, only for rows it accepts.
    `each` names a private attribute the row's validator fills with one dict of properties per value of the
    other end's column, in its order (an agreement's parties, each with its own role and signatory)."""

    type: RelType
    start: str
    end: str
    props: tuple[tuple[str, str], ...] = ()
    fixed: tuple[tuple[str, Any], ...] = ()
    when: Callable[[Any], bool] | None = None
    each: str | None = None


def props_of(*fields: str | tuple[str, str]) -> tuple[tuple[str, str], ...]:
    """(property, field) pairs, in order: a field is stored as its camelCase (`published_on` as `publishedOn`),
    a (property, field) pair where the property is named otherwise."""
    return tuple(f if isinstance(f, tuple) else (_camel(f), f) for f in fields)


def _camel(field: str) -> str:
    first, *rest = field.split("_")
    return first + "".join(word[:1].upper() + word[1:] for word in rest)


@dataclass(frozen=True)
class Column:
    field: str
    headers: tuple[str, ...]  # Chinese first (the template's header), then other accepted spellings


def column(field: str, *headers: str) -> Column:
    """A column with its headers (its template example is in loaders/examples.py); the field name
    itself is always accepted as a header too."""
    return Column(field, (*headers, field))


class Row(BaseModel):
    """One row of a file, validated. The class declares what a loader does with it:

    LABEL  the label of the node the row is (None: the row only links other nodes, or is a claim)
    NODE   the node's properties: (property, field) pairs, a property left out when its field is empty
    KEY    the field that must be unique inside one file (None: repeats are harmless)
    REFS   the columns naming other nodes, resolved through the store before anything is written
    LINKS  the relationships written between the row's node and the nodes its columns name
    """

    model_config = ConfigDict(extra="ignore")
    LABEL: ClassVar[Label | None] = None
    NODE: ClassVar[tuple[tuple[str, str], ...]] = ()
    KEY: ClassVar[str | None] = "id"
    REFS: ClassVar[dict[str, Ref]] = {}
    LINKS: ClassVar[tuple[Link, ...]] = ()

    def key(self) -> str | None:
        """The value that must be unique inside one file."""
        return None if self.KEY is None else self.__dict__[self.KEY]


@dataclass(frozen=True)
class Kind:
    name: str
    model: type[Row]
    columns: tuple[Column, ...]
    # what the rows are validated with beyond their own cells (the agreements' parties sheet): read once per
    # file before its rows, given to the row model as pydantic's validation context
    context: Callable[[Path, str], RowContext] | None = None

    @property
    def label(self) -> Label | None:
        return self.model.LABEL

    def header(self, field: str) -> str:
        return next(c.headers[0] for c in self.columns if c.field == field)
