"""The shape of a GraphQL document: its operations and fragments, each field with its name, the page
arguments it could be priced by and its selections; nothing else (no locations, values, directives).

Read from the query text's tokens (`read`) before graphql-core parses it, so that a document over a
limit (its estimated cost, its depth, a selection set too long, a fragment cycle) is refused for a
few milliseconds of CPU, where graphql-core's parser alone spent 6 ms on a 30-alias walk and 28 ms
on 4,000 tokens. Or read from a parsed document (`of_document`): the executor's own check, for a
text the token reader left to graphql-core. Both give the same shape for a valid document, so the
cost model (service/api/cost.py) and the depth rule price it the same either way."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValueNode,
    VariableNode,
)


@dataclass(slots=True, frozen=True)
class Var:
    """An argument given as a variable: its value comes with the request."""

    name: str


Arg = int | Var | None  # an integer, a variable, or anything else (a string, a list, a float)


@dataclass(slots=True)
class Field:
    name: str
    args: dict[str, Arg]
    selections: list[Selection] | None  # None: a leaf (a scalar, an enum)


@dataclass(slots=True)
class Inline:
    on: str | None
    selections: list[Selection]


@dataclass(slots=True)
class Spread:
    name: str


Selection = Field | Inline | Spread


@dataclass(slots=True)
class Fragment:
    name: str
    on: str
    selections: list[Selection]


@dataclass(slots=True)
class Operation:
    kind: str  # query, mutation, subscription
    name: str | None
    defaults: dict[str, int]  # variables declared with an integer default
    selections: list[Selection]


@dataclass(slots=True)
class Shape:
    operations: list[Operation] = field(default_factory=list)
    fragments: dict[str, Fragment] = field(default_factory=dict)  # by name; a repeated name: the last


# -- from the text ---------------------------------------------------------------------------------
# The tokens of service/api/limits.py's scan, whole: strings, names, numbers, `...`, punctuators;
# comments and anything else (whitespace, commas, stray characters) are not tokens.
_TOKEN = re.compile(
    r'#[^\n\r]*+|"""(?:\\"""|[^"\\]|\\(?!""")|"(?!""))*+"""|"(?:[^"\\\n\r]|\\.)*+"'
    r"|[_A-Za-z][_0-9A-Za-z]*+|-?[0-9]++(?:\.[0-9]++)?+(?:[eE][+-]?+[0-9]++)?+|\.\.\.|[!$&():=@\[\]{|}]|[^\s,]"
)
_INT = re.compile(r"-?[0-9]+")
_NAME_START = frozenset("_ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_OPERATIONS = frozenset({"query", "mutation", "subscription"})
_END = ""
_AFTER_NAME = frozenset(":({@")  # what makes a name more than a leaf field


class Unshaped(Exception):
    """The text is not a document the reader follows (a syntax error, a type definition): graphql-core
    parses it and says why."""


def read(text: str) -> Shape:
    """The shape of a query text; Unshaped for anything graphql-core would not parse as an executable
    document (and for the little the reader does not follow: graphql-core then decides)."""
    tokens = [t for t in _TOKEN.findall(text) if t[0] != "#"]
    tokens.append(_END)
    return _Reader(tokens).document()


class _Reader:
    def __init__(self, tokens: list[str]) -> None:
        self.tokens, self.at = tokens, 0
        self.leaves: dict[str, Field] = {}

    def next(self) -> str:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def peek(self) -> str:
        return self.tokens[self.at]

    def expect(self, token: str) -> None:
        if self.tokens[self.at] != token:
            raise Unshaped(token)
        self.at += 1

    def name(self) -> str:
        token = self.tokens[self.at]
        if not token or token[0] not in _NAME_START:
            raise Unshaped(token)
        self.at += 1
        return token

    def document(self) -> Shape:
        shape = Shape()
        if self.peek() == _END:
            raise Unshaped("an empty document")
        while self.peek() != _END:
            token = self.peek()
            if token == "{":
                shape.operations.append(Operation("query", None, {}, self.selection_set()))
            elif token in _OPERATIONS:
                shape.operations.append(self.operation())
            elif token == "fragment":
                fragment = self.fragment()
                shape.fragments[fragment.name] = fragment
            else:
                raise Unshaped(token)
        return shape

    def operation(self) -> Operation:
        kind = self.next()
        name = self.name() if self.peek() not in ("(", "@", "{") else None
        defaults: dict[str, int] = {}
        if self.peek() == "(":
            self.next()
            while True:
                self.expect("$")
                variable = self.name()
                self.expect(":")
                self.type_reference()
                if self.peek() == "=":
                    self.next()
                    default = self.value(const=True)
                    if isinstance(default, int):
                        defaults[variable] = default
                self.directives()
                if self.peek() == ")":
                    self.next()
                    break
        self.directives()
        return Operation(kind, name, defaults, self.selection_set())

    def type_reference(self) -> None:
        if self.peek() == "[":
            self.next()
            self.type_reference()
            self.expect("]")
        else:
            self.name()
        if self.peek() == "!":
            self.next()

    def fragment(self) -> Fragment:
        self.next()
        name = self.name()
        if name == "on":
            raise Unshaped(name)
        if self.name() != "on":
            raise Unshaped("a type condition")
        on = self.name()
        self.directives()
        return Fragment(name, on, self.selection_set())

    def selection_set(self) -> list[Selection]:
        self.expect("{")
        selections: list[Selection] = []
        tokens, leaves = self.tokens, self.leaves
        while True:
            token = tokens[self.at]
            if token == "}":
                if not selections:
                    raise Unshaped("an empty selection set")
                self.at += 1
                return selections
            if token == "...":
                self.at += 1
                after = self.peek()
                if after == "on":
                    self.next()
                    on: str | None = self.name()
                    self.directives()
                    selections.append(Inline(on, self.selection_set()))
                elif after in ("{", "@"):
                    self.directives()
                    selections.append(Inline(None, self.selection_set()))
                else:
                    selections.append(Spread(self.name()))
                    self.directives()
            elif token and token[0] in _NAME_START and tokens[self.at + 1] not in _AFTER_NAME:
                # a leaf without alias, arguments or directives: most of a large document, one shared
                # object per name
                leaf = leaves.get(token)
                if leaf is None:
                    leaf = leaves[token] = Field(token, {}, None)
                selections.append(leaf)
                self.at += 1
            else:
                selections.append(self.field())

    def field(self) -> Field:
        name = self.name()
        if self.peek() == ":":
            self.next()
            name = self.name()  # the alias is not part of the shape
        args = self.arguments() if self.peek() == "(" else {}
        self.directives()
        return Field(name, args, self.selection_set() if self.peek() == "{" else None)

    def arguments(self, const: bool = False) -> dict[str, Arg]:
        self.expect("(")
        args: dict[str, Arg] = {}
        while True:
            name = self.name()
            self.expect(":")
            args[name] = self.value(const)
            if self.peek() == ")":
                self.next()
                if not args:
                    raise Unshaped("empty arguments")
                return args

    def directives(self) -> None:
        while self.peek() == "@":
            self.next()
            self.name()
            if self.peek() == "(":
                self.arguments()

    def value(self, const: bool = False) -> Arg:
        """An integer or a variable as the shape keeps it; any other value is read and dropped."""
        token = self.next()
        first = token[:1]
        if first == "$":
            if const:
                raise Unshaped("a variable in a constant")
            return Var(self.name())
        if first == "-" or first.isdigit():
            return int(token) if _INT.fullmatch(token) else None
        if first in _NAME_START or (first == '"' and len(token) > 1):
            return None  # a string, true / false / null, an enum value
        if token == "[":
            while self.peek() != "]":
                if self.peek() == _END:
                    raise Unshaped("an unterminated list")
                self.value(const)
            self.next()
            return None
        if token == "{":
            while self.peek() != "}":
                self.name()
                self.expect(":")
                self.value(const)
            self.next()
            return None
        raise Unshaped(token)


# -- from a parsed document ------------------------------------------------------------------------
def of_document(document: DocumentNode) -> Shape:
    shape = Shape()
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            defaults = {d.variable.name.value: int(d.default_value.value)
                        for d in definition.variable_definitions or ()
                        if isinstance(d.default_value, IntValueNode)}
            shape.operations.append(Operation(definition.operation.value, definition.name.value if definition.name
                                              else None, defaults, _selections(definition.selection_set)))
        elif isinstance(definition, FragmentDefinitionNode):
            shape.fragments[definition.name.value] = Fragment(
                definition.name.value, definition.type_condition.name.value, _selections(definition.selection_set))
    return shape


def _selections(selection_set: SelectionSetNode) -> list[Selection]:
    out: list[Selection] = []
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            out.append(Field(selection.name.value, {a.name.value: _arg(a.value) for a in selection.arguments or ()},
                             _selections(selection.selection_set) if selection.selection_set else None))
        elif isinstance(selection, InlineFragmentNode):
            out.append(Inline(selection.type_condition.name.value if selection.type_condition else None,
                              _selections(selection.selection_set)))
        elif isinstance(selection, FragmentSpreadNode):
            out.append(Spread(selection.name.value))
    return out


def _arg(node: ValueNode) -> Arg:
    if isinstance(node, VariableNode):
        return Var(node.name.value)
    if isinstance(node, IntValueNode):
        try:
            return int(node.value)
        except ValueError:
            return None
    return None
