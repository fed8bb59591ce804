"""The dependencies run one way: viona/ (the project's plumbing) ← reports/ ← recommendations/.
Read from the source's imports, so that a module that breaks the rule fails here."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# viona/ modules that may name apps: the URL configuration and the commands that load or
# back up every app's data.
PROJECT_WIDE = {
    "viona/urls.py",
    "viona/api/urls_v1.py",
    "viona/management/commands/load_initial_data.py",
}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def modules(package: str):
    for path in sorted((ROOT / package).rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if "/migrations/" not in relative:
            yield relative, path


def _apps_named(path: Path, apps: tuple[str, ...]) -> list[str]:
    return sorted(name for name in imported_modules(path) if name.split(".")[0] in apps)


@pytest.mark.parametrize(("relative", "path"), list(modules("viona")))
def test_the_project_imports_no_app(relative, path):
    if relative in PROJECT_WIDE:
        return
    assert _apps_named(path, ("reports", "recommendations")) == [], relative


@pytest.mark.parametrize(("relative", "path"), list(modules("reports")))
def test_reports_does_not_import_recommendations(relative, path):
    assert _apps_named(path, ("recommendations",)) == [], relative


def test_every_command_lives_in_its_app():
    project_commands = {path.stem for path in (ROOT / "viona/management/commands").glob("*.py")} - {
        "__init__"
    }
    assert project_commands == {
        "auditlogflush",
        "backup",
        "ensure_dev_superuser",
        "load_initial_data",
        "restore",
    }
