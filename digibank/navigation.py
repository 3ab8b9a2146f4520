"""Role-based navigation. Each app lists its entries on its AppConfig as
``navigation = (NavItem(...), ...)``; the header shows the ones that fit the
user's roles, in ``order``."""

from dataclasses import dataclass

from django.apps import apps
from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str]
    order: int = 100
    description: str = ""


def nav_items_for(user) -> list[dict]:
    if not user.is_authenticated:
        return []
    items = []
    for config in apps.get_app_configs():
        for item in getattr(config, "navigation", ()):
            if not user.has_role(*item.roles):
                continue
            try:
                url = reverse(item.url_name)
            except NoReverseMatch:
                continue
            items.append({"label": item.label, "url": url, "order": item.order,
                          "description": item.description, "url_name": item.url_name})
    return sorted(items, key=lambda entry: entry["order"])
