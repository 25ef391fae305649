"""The analysts' explorer (/explore) and dashboard (/dashboard): built pages served by the app itself.

The pages are built from web/ with vite (`make web`) into service/web/static and talk to the service only
through /graphql with the caller's key; the one extra endpoint computes positions for big views."""

from service.web.router import web_router

__all__ = ["web_router"]
