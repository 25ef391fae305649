"""Configuration from ALLIANCE_* environment variables (pydantic-settings), checked when it is read.

Everything that can be wrong in the configuration fails at `Settings()` with a message naming the
variable (and the entry, for ALLIANCE_API_KEYS), so a misconfigured service never starts serving."""

from __future__ import annotations

import os
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from service.roles import Role


class StoreKind(StrEnum):
    EMBEDDED = "embedded"
    NEO4J = "neo4j"


class AnalyticsEngine(StrEnum):
    """What computes the analytics metrics behind their networkx interface (service/analytics/metrics.py)."""

    AUTO = "auto"  # igraph for a projection of metrics.ENGINE_THRESHOLD units or more, networkx below
    NETWORKX = "networkx"
    IGRAPH = "igraph"


class MetricsAccess(StrEnum):
    """Who may read /metrics (README "Operations")."""

    ADMIN = "admin"  # an admin key, as for the rest of the service's internals
    OPEN = "open"  # anyone who reaches the port: for a scraper on the office's intranet (no personal data in it)
    OFF = "off"  # not served (404)


class Environment(StrEnum):
    DEVELOPMENT = "development"  # the GraphiQL page at /graphql
    TEST = "test"
    PRODUCTION = "production"


@dataclass(frozen=True, slots=True)
class ApiKey:
    """One ALLIANCE_API_KEYS entry: the secret, the role it grants and the region it is limited to."""

    secret: SecretStr
    role: Role
    region_id: str | None = None  # None: the whole graph


def parse_api_keys(raw: str) -> tuple[ApiKey, ...]:
    """Comma-separated `key:role` or `key:role:regionId`; a bad entry is named by its position
    (never by its text, which holds the key)."""
    keys: list[ApiKey] = []
    for n, entry in enumerate((e.strip() for e in raw.split(",")), start=1):
        if not entry:
            continue
        parts = entry.split(":")
        if len(parts) not in (2, 3) or not parts[0].strip():
            raise ValueError(f"ALLIANCE_API_KEYS entry {n} is not `key:role` or `key:role:regionId`")
        try:
            role = Role(parts[1].strip().lower())
        except ValueError:
            raise ValueError(
                f"ALLIANCE_API_KEYS entry {n} names role {parts[1]!r}; roles are {', '.join(r.value for r in Role)}"
            ) from None
        region = parts[2].strip() if len(parts) == 3 and parts[2].strip() else None
        keys.append(ApiKey(SecretStr(parts[0].strip()), role, region))
    return tuple(keys)


def default_data_dir() -> Path:
    """The per-user place for the embedded store, the same from whichever folder a command runs:
    `$XDG_DATA_HOME/alliance-graph` (when XDG_DATA_HOME is an absolute path, as the XDG base
    directory specification asks), otherwise `~/.local/share/alliance-graph`."""
    xdg = os.environ.get("XDG_DATA_HOME", "")
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".local" / "share"
    return base / "alliance-graph"


_BOLT_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")


class Settings(BaseSettings):
    # hide_input_in_errors: a validation message must not echo ALLIANCE_API_KEYS or the password
    model_config = SettingsConfigDict(env_prefix="ALLIANCE_", env_file=".env", extra="ignore",
                                      hide_input_in_errors=True)

    store: StoreKind = StoreKind.EMBEDDED
    # absolute: a relative ALLIANCE_DATA_DIR is resolved against the folder the command starts in, once, here
    data_dir: Path = Field(default_factory=default_data_dir)
    # the most nodes the embedded store loads into memory (unset: as many as the machine's available
    # memory holds, service/graph/embedded/capacity.py); past it the store refuses and names ALLIANCE_STORE=neo4j
    embedded_max_nodes: int | None = Field(default=None, ge=1)
    neo4j_uri: str = "bolt://127.0.0.1:7687"
    neo4j_user: str = "neo4j"
    neo4j_password: SecretStr | None = None  # required when store is neo4j
    neo4j_database: str = "neo4j"
    # comma-separated `key:role` or `key:role:regionId` in the environment, parsed here; no default key exists
    api_keys: Annotated[tuple[ApiKey, ...], NoDecode] = ()
    environment: Environment = Environment.PRODUCTION
    # GraphQL query answers kept per process, keyed by the store's version token (0 turns it off)
    response_cache: int = Field(default=1024, ge=0)
    # What one request may cost (README "Configuration"): bodies refused before they are read past
    # these sizes (/import's uploads have their own), GraphQL operations over their role's estimated
    # cost budget (rows, service/api/cost.py) refused before they run, and a wall-clock budget after
    # which the store work stops and the request answers OVER_LIMIT.
    max_body_bytes: int = Field(default=1_048_576, ge=1024)
    max_upload_bytes: int = Field(default=67_108_864, ge=1024)
    cost_budget_viewer: int = Field(default=20_000, ge=1)
    cost_budget_importer: int = Field(default=20_000, ge=1)
    cost_budget_analyst: int = Field(default=200_000, ge=1)
    cost_budget_admin: int = Field(default=200_000, ge=1)
    request_timeout: float = Field(default=30.0, gt=0)
    # seconds a worker trusts a stored key it read (service/keys.py): 0, a revocation or rotation is
    # effective on the next request, for one store read per request of a stored key
    key_cache_seconds: float = Field(default=0.0, ge=0)
    # Operations (README "Operations"): who reads /metrics, and each key's request rate, a token bucket per key
    # id in each worker process: `rate_limit_<role>` requests a second sustained (0: no limit), up to
    # `rate_burst_<role>` at once; past it RATE_LIMITED (429) with Retry-After.
    metrics: MetricsAccess = MetricsAccess.ADMIN
    rate_limit_viewer: float = Field(default=0.0, ge=0)
    rate_limit_importer: float = Field(default=0.0, ge=0)
    rate_limit_analyst: float = Field(default=0.0, ge=0)
    rate_limit_admin: float = Field(default=0.0, ge=0)
    rate_burst_viewer: int = Field(default=60, ge=1)
    rate_burst_importer: int = Field(default=60, ge=1)
    rate_burst_analyst: int = Field(default=60, ge=1)
    rate_burst_admin: int = Field(default=60, ge=1)
    # what computes `alliance analyze` and runAnalysis (README "Analytics"): auto, networkx or igraph
    analytics_engine: AnalyticsEngine = AnalyticsEngine.AUTO
    # audit records older than this many days are deleted by `alliance audit prune` (unset: kept for good)
    audit_retention_days: int | None = Field(default=None, ge=1)

    @field_validator("api_keys", mode="before")
    @classmethod
    def _parse_api_keys(cls, value: Any) -> Any:
        if value is None:
            return ()
        if isinstance(value, SecretStr):
            value = value.get_secret_value()
        return parse_api_keys(value) if isinstance(value, str) else value

    @field_validator("data_dir")
    @classmethod
    def _absolute(cls, value: Path) -> Path:
        return Path(os.path.abspath(value.expanduser()))

    @field_validator("metrics", mode="before")
    @classmethod
    def _metrics_case(cls, value: Any) -> Any:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("environment", mode="before")
    @classmethod
    def _environment_case(cls, value: Any) -> Any:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("neo4j_uri")
    @classmethod
    def _bolt_uri(cls, value: str) -> str:
        scheme, sep, rest = value.partition("://")
        if not sep or scheme.lower() not in _BOLT_SCHEMES or not rest:
            schemes = ", ".join(_BOLT_SCHEMES)
            raise ValueError(f"ALLIANCE_NEO4J_URI must look like bolt://host:7687 (schemes: {schemes})")
        return value

    @model_validator(mode="after")
    def _neo4j_needs_a_password(self) -> Settings:
        if self.store is StoreKind.NEO4J and not (self.neo4j_password and self.neo4j_password.get_secret_value()):
            raise ValueError("ALLIANCE_NEO4J_PASSWORD must be set when ALLIANCE_STORE=neo4j")
        return self

    def cost_budget(self, role: Role) -> int:
        """The estimated rows one GraphQL operation of this role may cost."""
        budget: int = getattr(self, f"cost_budget_{role.value}")
        return budget

    def rate_limit(self, role: Role) -> tuple[float, int]:
        """Requests a second (0: unlimited) and the burst one key of this role may send."""
        rate: float = getattr(self, f"rate_limit_{role.value}")
        burst: int = getattr(self, f"rate_burst_{role.value}")
        return rate, burst

    def store_location(self) -> str:
        """Which store this is and where, in one line, for people: the embedded store's data
        directory, or Neo4j's URI, database and user (never the password)."""
        if self.store is StoreKind.NEO4J:
            where = public_uri(self.neo4j_uri)
            return f"neo4j store at {where} (database {self.neo4j_database}, user {self.neo4j_user})"
        return f"embedded store in {self.data_dir}"


def public_uri(uri: str) -> str:
    """The URI without any `user:password@` part, fit to print."""
    scheme, sep, rest = uri.partition("://")
    return f"{scheme}{sep}{rest.rpartition('@')[2]}" if sep else uri


def problems(error: ValidationError) -> list[str]:
    """A settings error as one line per problem, named by its environment variable."""
    lines = []
    for e in error.errors():
        variable = "ALLIANCE_" + "_".join(str(part) for part in e["loc"]).upper() if e["loc"] else ""
        message = e["msg"].removeprefix("Value error, ")
        lines.append(f"{variable}: {message}" if variable and not message.startswith(variable) else message)
    return lines
