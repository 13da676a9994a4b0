"""The house rules, in one place. A newcomer reads this table to know where new code goes and what it may use.

1. core/ never imports Qt or ui/: the domain must work without a window.
2. core/ is a stack of domain packages. Each has a rank; a module may import its own package and packages of a
   LOWER rank, never one of the same or a higher rank (so the lower rooms never depend on the upper ones, and
   packages cannot form a circle).
3. No import circles between modules, in core/ or in ui/ (a controller talks to the window through a narrow
   protocol or signals, not by importing the window class).
Every import counts, including those inside functions and under TYPE_CHECKING: an upward import that is only
deferred is still upward.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORE = ROOT / "core"
FORBIDDEN = ("PySide6", "PyQt5", "PyQt6", "shiboken6", "ui")

# Lowest first. Same rank = neither may import the other.
RANKS: dict[str, int] = {
    "errors": 0,  # core/errors.py: the typed errors every layer raises
    "pdf": 1,  # the print toolkit: fonts, layout, form pieces
    "text": 1,  # rules for free text every package shares: no card details, spreadsheet-safe CSV cells
    "keys": 2,  # crypto primitives, vault slots, OS keyring, passphrase policy, recovery sheet (no files)
    "storage": 3,  # data folder, files written atomically, database, migrations, sealed rows and settings
    "shop": 3,  # the shop's basics, its notice profile, supervisory authorities (plain data)
    "staff": 4,  # staff members and roles (reserved)
    "backup": 4,  # whole-file backups and restore (knows files and keys, not customers)
    "catalogue": 5,  # what the shop may ask and why; consent purposes; the owner's versioned edits
    "customers": 6,  # customers, validation, search index, visits, profiling answers, sample shop
    "consent": 7,  # the consent ledger, checkpoint, counter desk, marketing export
    "notice": 8,  # the privacy notice text, versions and PDFs
    "rights": 9,  # the rights desk and retention (reserved)
    "incidents": 10,  # complaints, breach kit, readable audit log (reserved); may turn a complaint into a request
    "wiring": 11,  # core/wiring.py: the services of an unlocked book, built from its keys
    "book": 12,  # core/book.py: the one facade the window talks to; owns set-up, unlock, lock and keys
    "demo": 13,  # core/demo.py: a throwaway demo shop built through the book
}


def _modules(top: Path) -> dict[str, Path]:
    """Dotted module name → file, for every module under `top` (Alembic's migration scripts excluded)."""
    found = {}
    for path in top.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        parts = path.relative_to(top.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def _imports(path: Path, known: dict[str, Path], root: Path = ROOT) -> Iterator[tuple[int, str]]:
    """(line, dotted target) for every import in `path`, resolving `from pkg import module` to the module."""
    package = ".".join(path.relative_to(root).with_suffix("").parts[:-1])
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            for alias in node.names:
                candidate = f"{module}.{alias.name}"
                yield node.lineno, candidate if candidate in known else module


def _room(module: str) -> str:
    """The package (or top-level module) of core that `module` lives in: core.keys.vault → keys."""
    return module.split(".")[1] if module.count(".") >= 1 else module


def _edges(top: Path) -> dict[str, set[str]]:
    known = _modules(top)
    return {
        name: {target for _, target in _imports(path, known, top.parent) if target in known and target != name}
        for name, path in known.items()
    }


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of more than one module (Tarjan), each sorted, for a readable message."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(edges.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return groups


def test_no_core_module_imports_qt_or_ui() -> None:
    offenders = []
    for path in CORE.rglob("*.py"):
        for line, target in _imports(path, {}):
            if target.split(".")[0] in FORBIDDEN:
                offenders.append(f"{path.relative_to(ROOT)}:{line} imports {target}")
    assert offenders == []


def test_every_core_package_has_a_rank_and_says_what_it_owns() -> None:
    rooms = {p.stem for p in CORE.glob("*.py") if p.stem != "__init__"}
    rooms |= {p.name for p in CORE.iterdir() if (p / "__init__.py").exists()}
    assert sorted(rooms - RANKS.keys()) == [], "a new package or top-level module needs a rank in RANKS above"
    for name in rooms:
        init = CORE / name / "__init__.py"
        if init.exists():
            docstring = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
            assert docstring, f"core/{name}/__init__.py needs a docstring: what it owns and what it may import"


def _upward_imports(core: Path) -> list[str]:
    known = _modules(core)
    upward = []
    for name, path in sorted(known.items()):
        if name == "core":
            continue
        room = _room(name)
        for line, target in _imports(path, known, core.parent):
            if not target.startswith("core.") or target == "core":
                continue
            other = _room(target)
            if other != room and RANKS[other] >= RANKS[room]:
                upward.append(f"{path.relative_to(core.parent)}:{line}: {room} (rank {RANKS[room]}) imports "
                              f"{target} ({other}, rank {RANKS[other]})")  # fmt: skip
    return upward


def test_packages_import_only_lower_ranks() -> None:
    upward = _upward_imports(CORE)
    assert upward == [], "\n".join(upward)


def test_no_import_circles_in_core() -> None:
    assert _cycles(_edges(CORE)) == []


def test_no_import_circles_in_ui() -> None:
    assert _cycles(_edges(ROOT / "ui")) == []


def test_the_rule_checker_sees_a_circle_and_an_upward_import(tmp_path: Path) -> None:
    """The checks above are only worth something if they can fail: feed them a made-up house."""
    fake = tmp_path / "core"
    for package in ("keys", "customers"):
        (fake / package).mkdir(parents=True)
        (fake / package / "__init__.py").write_text('"""x"""\n')
    (fake / "__init__.py").write_text("")
    (fake / "keys" / "vault.py").write_text("def f():\n    from core.customers.store import Customer\n")
    (fake / "customers" / "store.py").write_text("from core.customers import search\n")
    (fake / "customers" / "search.py").write_text("from core.customers.store import Customer\n")
    assert _upward_imports(fake) == [
        "core/keys/vault.py:2: keys (rank 2) imports core.customers.store (customers, rank 6)"
    ]
    assert _cycles(_edges(fake)) == [["core.customers.search", "core.customers.store"]]


def test_importing_all_of_core_loads_no_qt() -> None:
    modules = sorted(name for name in _modules(CORE) if name != "core")
    code = f"import sys; [__import__(m) for m in {modules!r}]; print([m for m in sys.modules if 'PySide6' in m])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]"
