"""The arrows of DESIGN.md hold: the core never imports Qt; access imports no I/O or clock."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORE_PACKAGES = ["app.access", "app.controller", "hardware"]


def _modules(package: str) -> list[str]:
    base = ROOT / package.replace(".", "/")
    return sorted(
        ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for path in base.rglob("*.py")
        if path.name != "__init__.py"
    )


@pytest.mark.parametrize("package", CORE_PACKAGES)
def test_core_imports_no_qt_in_a_fresh_interpreter(package: str) -> None:
    modules = _modules(package)
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6', 'app.ui')))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "", f"{package} pulled in {result.stdout.strip()}"


FORBIDDEN_IN_ACCESS = {
    "PySide6",
    "socket",
    "asyncio",
    "sqlite3",
    "time",
    "aiohttp",
    "zeroconf",
    "app.controller",
    "app.ui",
    "hardware",
}


def test_access_imports_no_io_sql_or_clock() -> None:
    for path in (ROOT / "app" / "access").rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                root = name.split(".")[0]
                assert root not in FORBIDDEN_IN_ACCESS and not any(
                    name.startswith(f) for f in FORBIDDEN_IN_ACCESS if "." in f
                ), f"{path.name} imports {name}"
            if isinstance(node, ast.Attribute) and node.attr in ("now", "utcnow", "today"):
                raise AssertionError(f"{path.name} reads the clock ({node.attr})")
