"""The import directions of DESIGN.md ("Imports point one way"), checked by the project itself.

Outside the entry modules, ``workflow`` imports no other app; ``approvals``, ``audit`` and ``notifications``
import ``workflow`` only (not each other); ``flows`` imports all four. The entry modules (``views``,
``urls``, ``admin``, ``api`` and the management commands, as a module or a package of that name) may import
any app, so a page can live in the app it shows and call a ``flows`` service to act. And no module of
``flows`` imports, through any chain, one that imports it back.

Every ``.py`` of the five apps is read with ``ast``, migrations included; an import inside a function or
under ``TYPE_CHECKING`` counts like one at the top of the file, and relative imports are resolved.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("workflow", "flows", "approvals", "audit", "notifications")
# The other apps each app may import outside its entry modules.
MAY_IMPORT = {
    "workflow": set(),
    "approvals": {"workflow"},
    "audit": {"workflow"},
    "notifications": {"workflow"},
    "flows": {"workflow", "approvals", "audit", "notifications"},
}
ENTRY_PACKAGES = {"views", "urls", "admin", "api"}  # a module, or a package, of one of these names
ENTRY_COMMANDS = ("management", "commands")


@dataclass(frozen=True)
class Import:
    path: Path  # the importing file, relative to the root
    line: int
    target: str  # the module imported, absolute: "flows.services.transitions"

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: imports {self.target}"


def module_name(path: Path) -> str:
    """``flows/services/transitions.py`` -> ``flows.services.transitions``; a package's ``__init__.py``
    is the package."""
    parts = path.with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_entry(path: Path) -> bool:
    """A page, an address, the admin, the API or a management command (``path`` relative to the root)."""
    inner = path.with_suffix("").parts[1:]  # below the app's own folder
    return bool(ENTRY_PACKAGES & set(inner)) or inner[:2] == ENTRY_COMMANDS


def app_files(root: Path) -> list[Path]:
    """Every ``.py`` of the five apps, relative to ``root``."""
    return sorted(p.relative_to(root) for app in APPS for p in (root / app).rglob("*.py"))


def imports_of(root: Path, path: Path, modules: set[str]) -> list[Import]:
    """The modules ``path`` imports, wherever the import statement is. ``from pkg import name`` imports the
    submodule ``pkg.name`` when there is one among ``modules``, else ``pkg``."""
    tree = ast.parse((root / path).read_text(encoding="utf-8"), filename=str(path))
    here = module_name(path)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [Import(path, node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                source = ".".join([*base, *([node.module] if node.module else [])])
            else:
                source = node.module or ""
            for alias in node.names:
                submodule = f"{source}.{alias.name}"
                found.append(Import(path, node.lineno, submodule if submodule in modules else source))
    return found


def forbidden_imports(root: Path) -> list[str]:
    """Each import against the directions, as ``file:line: app imports module``."""
    files = app_files(root)
    modules = {module_name(p) for p in files}
    bad = []
    for path in files:
        app = path.parts[0]
        if is_entry(path):
            continue
        for imp in imports_of(root, path, modules):
            other = imp.target.split(".")[0]
            if other in APPS and other != app and other not in MAY_IMPORT[app]:
                bad.append(f"{imp.path}:{imp.line}: {app} imports {imp.target}")
    return bad


def import_cycles(root: Path, package: str) -> list[list[Import]]:
    """The import cycles among the modules of ``package``: for each group of modules that import one another
    (a strongly connected component of the import graph), the imports that tie it."""
    files = [p for p in app_files(root) if p.parts[0] == package]
    modules = {module_name(p) for p in files}
    edges: dict[str, list[Import]] = {m: [] for m in modules}
    for path in files:
        for imp in imports_of(root, path, modules):
            if imp.target in modules:
                edges[module_name(path)].append(imp)

    # Tarjan's strongly connected components.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []

    def visit(m: str) -> None:
        index[m] = low[m] = len(index)
        stack.append(m)
        on_stack.add(m)
        for imp in edges[m]:
            if imp.target not in index:
                visit(imp.target)
                low[m] = min(low[m], low[imp.target])
            elif imp.target in on_stack:
                low[m] = min(low[m], index[imp.target])
        if low[m] == index[m]:
            group = set()
            while True:
                top = stack.pop()
                on_stack.discard(top)
                group.add(top)
                if top == m:
                    break
            groups.append(group)

    for m in sorted(modules):
        if m not in index:
            visit(m)
    cycles = []
    for group in groups:
        ties = [imp for m in sorted(group) for imp in edges[m] if imp.target in group]
        if len(group) > 1 or ties:
            cycles.append(ties)
    return cycles


# -- the project --------------------------------------------------------------------------------------------


def test_the_apps_import_one_way():
    assert len(app_files(ROOT)) > 100  # the walk found the apps
    bad = forbidden_imports(ROOT)
    assert not bad, "imports against DESIGN.md's directions:\n" + "\n".join(bad)


def test_no_import_cycle_among_the_modules_of_flows():
    cycles = import_cycles(ROOT, "flows")
    assert not cycles, "import cycles among the modules of flows:\n" + "\n\n".join(
        "\n".join(str(imp) for imp in ties) for ties in cycles
    )


def test_the_entry_modules_are_the_pages_addresses_admin_api_and_commands():
    entries = {str(p) for p in app_files(ROOT) if is_entry(p)}
    assert {
        "workflow/views/pages.py",
        "workflow/urls.py",
        "workflow/admin.py",
        "approvals/urls/public.py",
        "audit/views/log.py",
        "notifications/views.py",
        "workflow/management/commands/import_piao.py",
    } <= entries
    for rest in ("workflow/models.py", "flows/services/transitions.py", "notifications/rules.py",
                 "approvals/services/steps.py", "workflow/management/demo_data.py", "workflow/selectors.py"):
        assert rest not in entries


# -- the checks themselves, on a made-up project ------------------------------------------------------------


def _project(tmp_path: Path, files: dict[str, str]) -> Path:
    for app in APPS:
        (tmp_path / app).mkdir()
        (tmp_path / app / "__init__.py").write_text("")
    for name, source in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(source)
    return tmp_path


def test_an_import_against_the_directions_is_reported_with_its_file_and_line(tmp_path):
    root = _project(tmp_path, {
        "workflow/models.py": "import datetime\n\n\ndef f():\n    from flows.services import x\n",
        "workflow/views/pages.py": "from flows.services import x\nfrom audit import services\n",
        "audit/services.py": "from workflow.models import Objective\nfrom notifications import rules\n",
        "approvals/management/commands/send.py": "import flows.services.transitions\n",
        "approvals/management/helpers.py": "from ..services import steps\nimport audit.models\n",
        "notifications/rules.py": "import typing\nif typing.TYPE_CHECKING:\n    import approvals\n",
        "flows/services/x.py": "from approvals import models\nfrom audit import services\n",
    })
    assert forbidden_imports(root) == [
        "approvals/management/helpers.py:2: approvals imports audit.models",
        "audit/services.py:2: audit imports notifications.rules",
        "notifications/rules.py:3: notifications imports approvals",
        "workflow/models.py:5: workflow imports flows.services.x",
    ]


def test_a_cycle_through_a_function_level_or_relative_import_is_found(tmp_path):
    root = _project(tmp_path, {
        "flows/services/__init__.py": "",
        "flows/services/a.py": "from . import b\n",
        "flows/services/b.py": "def f():\n    from flows.services.a import g\n",
        "flows/services/c.py": "from flows.services import a\n",
    })
    cycles = import_cycles(root, "flows")
    assert [[str(imp) for imp in ties] for ties in cycles] == [[
        "flows/services/a.py:1: imports flows.services.b",
        "flows/services/b.py:2: imports flows.services.a",
    ]]
    (root / "flows/services/b.py").write_text("def f():\n    pass\n")
    assert import_cycles(root, "flows") == []
