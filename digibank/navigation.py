"""Role-based navigation. Each app lists its entries on its AppConfig as
``navigation = (NavItem(...), ...)``. The header's bar shows the entries a
role uses every day (``bar``); the start page shows every entry the user may
open, in sections (``group``), so the bar stays short for coordinators who
may open everything."""

from dataclasses import dataclass

from django.apps import apps
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

# The start page's sections, in order.
GROUPS = {
    "counter": _("Counter and residents"),
    "learning": _("Trainings and guidance"),
    "devices": _("Devices and atelier"),
    "partners": _("Partners, feedback and outreach"),
    "steering": _("Figures and steering"),
    "admin": _("Management and privacy"),
}


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str]
    order: int = 100
    description: str = ""
    group: str = "counter"
    # The roles that see this entry in the header's bar (None: all its
    # roles); the others find it on the start page.
    bar: frozenset[str] | None = None

    def __post_init__(self):
        if self.group not in GROUPS:
            raise ValueError(f"Unknown navigation group {self.group!r}")


def nav_items_for(user) -> list[dict]:
    """Every entry ``user`` may open, in order; ``in_bar`` for the header."""
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
                          "description": item.description, "url_name": item.url_name,
                          "group": item.group,
                          "in_bar": item.bar is None or user.has_role(*item.bar)})
    return sorted(items, key=lambda entry: entry["order"])


def start_sections_for(user) -> list[tuple[str, list[dict]]]:
    """The start page's tiles: every entry but the start page itself, per
    section, sections without entries left out."""
    items = [item for item in nav_items_for(user) if item["url_name"] != "workspace"]
    return [(label, [item for item in items if item["group"] == key])
            for key, label in GROUPS.items()
            if any(item["group"] == key for item in items)]
