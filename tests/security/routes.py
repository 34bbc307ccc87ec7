"""Every route of the URL conf, walked from the root resolver, and what the permission matrix
knows about it. A route the matrix cannot classify is an error (see test_permission_matrix)."""

from dataclasses import dataclass

from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver

STANDARD_ACTIONS = {"list", "create", "retrieve", "update", "partial_update", "destroy"}
WRITE_ACTIONS = {"create", "update", "partial_update", "destroy"}
HTTP_WRITES = {"post", "put", "patch", "delete"}


@dataclass(frozen=True)
class Route:
    pattern: str
    name: str | None
    callback: object

    @property
    def viewset(self):
        return getattr(self.callback, "cls", None)

    @property
    def actions(self) -> dict[str, str]:
        return getattr(self.callback, "actions", None) or {}

    @property
    def is_format_suffix(self) -> bool:
        return "(?P<format>" in self.pattern or "<drf_format_suffix:format>" in self.pattern


def walk(resolver: URLResolver | None = None, prefix: str = "") -> list[Route]:
    resolver = resolver or get_resolver()
    routes: list[Route] = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            routes += walk(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            routes.append(Route(prefix + str(entry.pattern), entry.name, entry.callback))
    return routes


def admin_model_for(route: Route):
    """The (model, model_admin, view suffix) of an admin route named `<app>_<model>_<view>`."""
    if not route.pattern.startswith("admin/") or not route.name:
        return None
    for model, model_admin in admin.site._registry.items():
        stem = f"{model._meta.app_label}_{model._meta.model_name}_"
        if route.name.startswith(stem):
            return model, model_admin, route.name[len(stem) :]
    return None
