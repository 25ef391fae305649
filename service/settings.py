"""Configuration from ALLIANCE_* environment variables (pydantic-settings)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class StoreKind(StrEnum):
    EMBEDDED = "embedded"
    NEO4J = "neo4j"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ALLIANCE_", env_file=".env", extra="ignore")

    store: StoreKind = StoreKind.EMBEDDED
    data_dir: Path = Path("data")
    neo4j_uri: str = "bolt://127.0.0.1:7687"
    neo4j_user: str = "neo4j"
    neo4j_password: SecretStr | None = None
    neo4j_database: str = "neo4j"
    # comma-separated `key:role` or `key:role:regionId`; no default key exists
    api_keys: SecretStr | None = None
    environment: str = "production"
    # GraphQL query answers kept per process, keyed by the store's version token (0 turns it off)
    response_cache: int = 1024
