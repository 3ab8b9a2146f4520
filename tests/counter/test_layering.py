"""The counter is a workspace: it stands above the domain apps and the
kernel and composes them; nothing below it depends on it (design.md, "the
house has three floors"). A domain app that imported ``counter`` (or
included one of its templates) would tie the floors together again."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BELOW_THE_COUNTER = ("digibank", "points", "trainings", "devices", "atelier", "soundboard",
                     "outreach")
WORKSPACE = "counter"
# {% include "counter/…" %} or {% extends "counter/…" %}.
TEMPLATE_USE = re.compile(r"""{%\s*(?:include|extends)\s+["']counter/""")


def imported_modules(source: str) -> list[tuple[int, str]]:
    """Every module ``source`` imports, with its line: ``import a.b`` and
    ``from a.b import c`` both give ``a.b`` (relative imports are inside the
    package itself and give nothing)."""
    modules = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.append((node.lineno, node.module))
    return modules


def imports_the_workspace(source: str) -> list[str]:
    return [f"line {line}: {module}" for line, module in imported_modules(source)
            if module == WORKSPACE or module.startswith(f"{WORKSPACE}.")]


def _python_files(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def _template_files(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("templates/**/*.html")) + sorted(
        (ROOT / package).rglob("templates/**/*.txt"))


@pytest.mark.parametrize("package", BELOW_THE_COUNTER)
def test_no_module_below_the_counter_imports_it(package):
    files = _python_files(package)
    assert files, f"no Python files found in {package}/"
    offenders = {str(path.relative_to(ROOT)): found for path in files
                 if (found := imports_the_workspace(path.read_text(encoding="utf-8")))}
    assert not offenders, f"{package}/ imports the counter workspace: {offenders}"


@pytest.mark.parametrize("package", BELOW_THE_COUNTER)
def test_no_template_below_the_counter_includes_or_extends_its_templates(package):
    offenders = [str(path.relative_to(ROOT)) for path in _template_files(package)
                 if TEMPLATE_USE.search(path.read_text(encoding="utf-8"))]
    assert not offenders, f"{package}/ templates use counter/ templates: {offenders}"


@pytest.mark.parametrize("source", [
    "import counter",
    "import counter.views",
    "import os, counter.panels as panels",
    "from counter import views",
    "from counter.forms import VisitForm",
    "def f():\n    from counter.panels import quick_enrol_url\n",
])
def test_the_check_finds_every_form_of_importing_the_counter(source):
    assert imports_the_workspace(source)


@pytest.mark.parametrize("source", [
    "import counters",
    "from points import counter",
    "from points.views import counter",
    "from . import counter",
    "x = 'counter.views'",
])
def test_the_check_leaves_other_names_alone(source):
    assert not imports_the_workspace(source)
