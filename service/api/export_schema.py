"""Write (or with --check, compare) service/schema.graphql from the code.

    python -m service.api.export_schema [--check]
"""

from __future__ import annotations

import sys
from pathlib import Path

from service.api.schema import build_schema

SDL_PATH = Path(__file__).resolve().parent.parent / "schema.graphql"


def sdl() -> str:
    return str(build_schema()) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    current = sdl()
    if "--check" in args:
        if not SDL_PATH.exists() or SDL_PATH.read_text(encoding="utf-8") != current:
            print(f"{SDL_PATH} differs from the code; run `python -m service.api.export_schema`", file=sys.stderr)
            return 1
        return 0
    SDL_PATH.write_text(current, encoding="utf-8")
    print(f"wrote {SDL_PATH}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
