"""Request limits: a cheap scan of the query text before it is parsed (size, tokens, aliases,
directives, nesting), then its shape read from the tokens (service/api/shape.py), still before
graphql-core parses it: fragment cycles, depth, selection sets and fragment chains, and the estimated
cost against the caller's budget (service/api/cost.py). Depth and aliases again as validation rules,
the estimate again after parsing for a text the shape reader left to graphql-core, and page sizes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from graphql import DocumentNode, GraphQLError, GraphQLSchema, parse
from graphql import ExecutionResult as GraphQLExecutionResult
from strawberry.extensions import (
    MaxAliasesLimiter,
    QueryDepthLimiter,
    SchemaExtension,
    ValidationCache,
)

from service.api import cost, shape
from service.errors import OverLimit

MAX_DEPTH = 10
MAX_ALIASES = 30
MAX_TOKENS = 4000
MAX_QUERY_CHARS = 32_768  # the query text; variables are bounded by the body size (settings)
MAX_DIRECTIVES = 50
MAX_NESTING = 64  # braces, brackets and parentheses open at once (the parser recurses on each)
MAX_FIRST = 100
DEFAULT_FIRST = 20
MAX_SEARCH = 50
MAX_NEIGHBOURHOOD_DEPTH = 3
MAX_NEIGHBOURHOOD_NODES = 500
MAX_BATCH = 1000  # rows per upsert mutation
MAX_VARIABLE_TEXT = 65_536  # characters of one string in the variables (a name, a note, a search)


def check_first(first: int, maximum: int = MAX_FIRST, what: str = "first") -> int:
    if first < 1 or first > maximum:
        raise OverLimit(f"`{what}` is {first}; ask for 1 to {maximum} and page on with `after`")
    return first


# Built once so the rule classes are the same on every request: the validation cache is keyed
# by them (a limiter instance per request would build new classes and never hit the cache).
_RULES = (
    *QueryDepthLimiter(max_depth=MAX_DEPTH).validation_rules,
    *MaxAliasesLimiter(max_alias_count=MAX_ALIASES).validation_rules,
)


# One GraphQL token, or a comment (`#` to the line's end), which the lexer skips; whitespace and
# commas match nothing and are passed over by the regex engine. Possessive repeats: an unterminated
# string costs one pass, never backtracking.
_TOKEN = re.compile(
    r'(?P<comment>#[^\n\r]*+)|"""(?:\\"""|[^"\\]|\\(?!""")|"(?!""))*+"""|"(?:[^"\\\n\r]|\\.)*+"'
    r"|(?P<name>[_A-Za-z][_0-9A-Za-z]*+)|-?[0-9]++(?:\.[0-9]++)?+(?:[eE][+-]?+[0-9]++)?+|\.\.\.|(?P<punct>[!$&():=@\[\]{|}])"
)
_OPENING, _CLOSING = frozenset("{[("), frozenset("}])")


def prescan(text: str) -> OverLimit | None:
    """The refusal of a query text over a limit, found without parsing it: its length, then one
    regex pass counting tokens, aliases (a name followed by `:` outside any parentheses),
    directives and nesting. Milliseconds on the largest text accepted; the parser's own token
    bound and the validation rules stay as the authority on what the scan lets through."""
    if len(text) > MAX_QUERY_CHARS:
        return OverLimit(f"the query text is {len(text):,} characters; the limit is {MAX_QUERY_CHARS:,} "
                         "(send values as variables)")
    tokens = aliases = directives = nesting = deepest = parens = 0
    after_name = False
    for match in _TOKEN.finditer(text):
        if match.lastgroup == "comment":
            continue
        tokens += 1
        if tokens > MAX_TOKENS:
            return OverLimit(f"the query has more than {MAX_TOKENS} tokens; the limit is {MAX_TOKENS}")
        punct = match.group("punct")
        if punct is not None:
            if punct in _OPENING:
                nesting += 1
                deepest = max(deepest, nesting)
                parens += punct == "("
            elif punct in _CLOSING:
                nesting -= 1
                parens -= punct == ")"
            elif punct == ":" and after_name and parens <= 0:
                aliases += 1
            elif punct == "@":
                directives += 1
        after_name = match.lastgroup == "name"
    if deepest > MAX_NESTING:
        return OverLimit(f"the query nests {deepest} levels of brackets; the limit is {MAX_NESTING}")
    if aliases > MAX_ALIASES:
        return OverLimit(f"the query has {aliases} aliases; the limit is {MAX_ALIASES}")
    if directives > MAX_DIRECTIVES:
        return OverLimit(f"the query has {directives} directives; the limit is {MAX_DIRECTIVES}")
    return None


class Oversized(dict[str, Any]):
    """Variables refused while the body was read (service/api/body.py): empty, carrying the refusal
    for `check_variables` (strawberry takes variables only as a dict)."""

    def __init__(self, refusal: OverLimit) -> None:
        super().__init__()
        self.refusal = refusal


def check_variables(variables: object, lists: tuple[type, ...] = (list,),
                    maps: tuple[type, ...] = (dict,)) -> OverLimit | None:
    """The refusal of variables holding a list longer than a batch or a string longer than any field
    takes, found by one walk of the decoded JSON before graphql-core coerces them (coercing 10,000
    input objects costs half a second before the mutation's own batch check could refuse them).
    `lists` and `maps` are the containers walked: the decoded JSON's, or simdjson's lazy ones."""
    if isinstance(variables, Oversized):
        return variables.refusal
    pending: list[Any] = [variables]
    while pending:
        value: Any = pending.pop()
        if isinstance(value, str):
            if len(value) > MAX_VARIABLE_TEXT:
                return OverLimit(f"a variable holds a text of {len(value):,} characters; the limit is "
                                 f"{MAX_VARIABLE_TEXT:,}")
        elif issubclass(type(value), lists):  # (isinstance would narrow Any to object for mypy)
            if len(value) > MAX_BATCH:
                return OverLimit(f"a variable holds a list of {len(value):,} values; send at most {MAX_BATCH} "
                                 "per request")
            pending.extend(value)
        elif issubclass(type(value), maps):
            pending.extend(value[key] for key in value)  # simdjson's values() would build every value
    return None


@lru_cache(maxsize=512)
def shaped(text: str) -> shape.Shape | None:
    """The text's shape read from its tokens (service/api/shape.py), once per text; None when the
    reader leaves it to graphql-core (a syntax error)."""
    try:
        return shape.read(text)
    except (shape.Unshaped, RecursionError):
        return None


def check_shape(document: shape.Shape, operation_name: str | None, variables: dict[str, Any] | None,
                budget: int | None, schema: GraphQLSchema) -> OverLimit | GraphQLError | None:
    """The refusal of a document by its shape, before graphql-core parses it: a fragment cycle, an
    operation deeper than MAX_DEPTH (strawberry's QueryDepthLimiter, counted the same way), a
    selection set or fragment chain too long, the estimated cost over the budget. The parser and the
    validation rules that follow remain the authority on everything else."""
    try:
        cycle = fragment_cycle(document)
        if cycle is not None:
            return GraphQLError(cycle)
        for name, depth in operation_depths(document).items():
            if depth > MAX_DEPTH:
                return OverLimit(f"'{name}' exceeds maximum operation depth of {MAX_DEPTH}")
        if budget is None:
            return None
        return over_budget(cost.price(schema, document, operation_name, variables), budget)
    except OverLimit as exc:
        return exc


def over_budget(estimated: int, budget: int) -> OverLimit | None:
    if estimated <= budget:
        return None
    return OverLimit(f"the query's estimated cost is {estimated:,} rows; your role's budget is {budget:,} (ask for "
                     "smaller pages with `first`, or fewer nested lists)")


def fragment_cycle(document: shape.Shape) -> str | None:
    """graphql-core's message for the first fragment that spreads itself, directly or through others."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def spreads(selections: list[shape.Selection]) -> Iterator[str]:
        for selection in selections:
            if isinstance(selection, shape.Spread):
                yield selection.name
            elif selection.selections is not None:
                yield from spreads(selection.selections)

    def visit(name: str, path: list[str]) -> str | None:
        state[name] = 1
        for target in spreads(document.fragments[name].selections):
            if target not in document.fragments or state.get(target) == 2:
                continue
            if state.get(target) == 1:
                via = [*path[path.index(target) + 1:], name] if target != name else []
                return f"Cannot spread fragment '{target}' within itself" + (
                    " via " + ", ".join(f"'{v}'" for v in via) if via else "") + "."
            if len(path) >= cost.MAX_FRAGMENT_CHAIN:
                raise OverLimit(f"the query spreads fragments more than {cost.MAX_FRAGMENT_CHAIN} deep; the limit "
                                f"is {cost.MAX_FRAGMENT_CHAIN}")
            found = visit(target, [*path, name])
            if found is not None:
                return found
        state[name] = 2
        return None

    for name in document.fragments:
        if name not in state:
            found = visit(name, [])
            if found is not None:
                return found
    return None


def operation_depths(document: shape.Shape) -> dict[str, int]:
    """Each operation's depth as strawberry's QueryDepthLimiter counts it (fields with a selection
    set nested in one another, introspection fields not counted), by name (`anonymous` without
    one); for a document without fragment cycles."""
    memo: dict[str, int] = {}

    def depth(selections: list[shape.Selection]) -> int:
        deepest = 0
        for selection in selections:
            if isinstance(selection, shape.Field):
                if selection.selections is not None and not selection.name.startswith("__"):
                    deepest = max(deepest, 1 + depth(selection.selections))
            elif isinstance(selection, shape.Inline):
                deepest = max(deepest, depth(selection.selections))
            elif selection.name in document.fragments:
                if selection.name not in memo:
                    memo[selection.name] = 0  # a cycle (refused before) counts nothing
                    memo[selection.name] = depth(document.fragments[selection.name].selections)
                deepest = max(deepest, memo[selection.name])
        return deepest

    return {operation.name or "anonymous": depth(operation.selections) for operation in document.operations}


def refusal(error: OverLimit | GraphQLError) -> GraphQLExecutionResult:
    """An operation's answer that is one refusal (no data)."""
    if isinstance(error, GraphQLError):
        return GraphQLExecutionResult(data=None, errors=[error])
    return GraphQLExecutionResult(data=None, errors=[GraphQLError(str(error), original_error=error)])


class Limits(SchemaExtension):
    """strawberry's QueryDepthLimiter and MaxAliasesLimiter rules plus MaxTokensLimiter's parser
    bound; before validation, the operation's estimated cost against the caller's budget (the
    context's `cost_budget`, from the settings; None: unlimited)."""

    def on_operation(self) -> Iterator[None]:
        context = self.execution_context
        context.validation_rules = (*context.validation_rules, *_RULES)
        context.parse_options["max_tokens"] = MAX_TOKENS
        yield

    def on_validate(self) -> Iterator[None]:
        """For a text the router could not price by its shape (`priced`): the estimate on the parsed
        document, before validation, so a refusal costs no validation (12 ms for a 30-alias walk). The
        estimate reads only what it can price, so an invalid document under budget is left to the
        validation rules, and one over budget is refused either way."""
        context = self.execution_context
        budget = getattr(context.context, "cost_budget", None)
        priced = getattr(context.context, "priced", False)  # by its shape, before parsing (the router)
        if budget is not None and not priced and context.graphql_document is not None \
                and context.pre_execution_errors is None:
            estimated = cost.estimate(context.schema._schema, context.graphql_document, context.operation_name,
                                      context.variables)
            error = over_budget(estimated, budget)
            if error is not None:
                context.pre_execution_errors = [GraphQLError(str(error), original_error=error)]
        yield


class CachedValidation(ValidationCache):
    """strawberry's validation cache, but for an operation already refused (over its budget)."""

    def on_validate(self) -> Iterator[None]:
        if self.execution_context.pre_execution_errors:
            yield
            return
        yield from super().on_validate()


@lru_cache(maxsize=512)
def parsed(text: str) -> DocumentNode:
    """The query text parsed under the token bound, once per text: the executor (`CachedParse`) and
    the response cache's question (is it a query?) share it, so a new text is lexed once."""
    return parse(text, max_tokens=MAX_TOKENS)


class CachedParse(SchemaExtension):
    """strawberry's ParserCache over `parsed`."""

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        if context.query is not None:
            context.graphql_document = parsed(context.query)
        yield


def limiters() -> list[Any]:
    """Extension classes / factories: limits first, then the parse and validation caches."""
    return [Limits, CachedParse, lambda: CachedValidation(maxsize=512)]
