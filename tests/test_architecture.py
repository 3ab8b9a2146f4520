"""The house has three floors and imports only go down (design.md): the
kernel (``digibank/``) imports no app that stands on it, and no app imports
the coordinator's workspace (``dashboard/``). Where the kernel must know
something of every app (retention rules, erasure paths, activity checks,
navigation, the news that visits changed), the app registers it on its
AppConfig. ``digibank/urls.py`` is the project's URL root: it includes
every app (the dashboard's URLs too) and is the one exception."""

from pathlib import Path

import pytest

from tests.counter.test_layering import imported_modules

ROOT = Path(__file__).resolve().parents[1]
KERNEL = "digibank"
DOMAIN = ("points", "trainings", "devices", "atelier", "soundboard", "outreach")
WORKSPACES = ("counter", "dashboard")
# The project's URL root includes every app, so it may name them.
URL_ROOT = ROOT / "digibank" / "urls.py"


def _names(module: str, packages: tuple[str, ...]) -> bool:
    return any(module == package or module.startswith(f"{package}.") for package in packages)


def imports_of(source: str, packages: tuple[str, ...]) -> list[str]:
    """``line n: module`` for every import of one of ``packages`` in
    ``source``, at the top or inside a function."""
    return [f"line {line}: {module}" for line, module in imported_modules(source)
            if _names(module, packages)]


def _offenders(package: str, forbidden: tuple[str, ...]) -> dict[str, list[str]]:
    files = sorted((ROOT / package).rglob("*.py"))
    assert files, f"no Python files found in {package}/"
    return {str(path.relative_to(ROOT)): found for path in files
            if path != URL_ROOT
            and (found := imports_of(path.read_text(encoding="utf-8"), forbidden))}


def test_the_kernel_imports_no_app_that_stands_on_it():
    offenders = _offenders(KERNEL, DOMAIN + WORKSPACES)
    assert not offenders, f"digibank/ imports an app above it: {offenders}"


@pytest.mark.parametrize("package", (KERNEL, *DOMAIN, "counter"))
def test_no_app_imports_the_dashboard(package):
    offenders = _offenders(package, ("dashboard",))
    assert not offenders, f"{package}/ imports the dashboard: {offenders}"


def test_the_url_root_includes_the_dashboard_by_name_only():
    assert not imports_of(URL_ROOT.read_text(encoding="utf-8"), ("dashboard",))
    assert 'include("dashboard.urls")' in URL_ROOT.read_text(encoding="utf-8")


@pytest.mark.parametrize("source", [
    "from points.models import Visit",
    "import trainings.services",
    "def due():\n    from devices.models import Loan\n",
    "from dashboard import rollup",
])
def test_the_check_finds_an_import_of_an_app_above_the_kernel(source):
    assert imports_of(source, DOMAIN + WORKSPACES)


@pytest.mark.parametrize("source", [
    "from digibank.models import Resident",
    "x = 'points.Visit'",
    "models.ForeignKey('points.Point', on_delete=models.CASCADE)",
    "from . import rollup",
])
def test_the_check_leaves_the_kernel_and_model_references_alone(source):
    assert not imports_of(source, DOMAIN + WORKSPACES)
