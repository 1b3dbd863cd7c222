"""The apps build on each other one way: core, config, tenants, eventos, webhooks, clientes,
comercial, ventas, cotizaciones, demo. A module imports only apps before its own; the one
read going the other way is the customer's historial, through the sales' and quotations'
selectors."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LAYERS = [
    "core",
    "config",
    "tenants",
    "eventos",
    "webhooks",
    "clientes",
    "comercial",
    "ventas",
    "cotizaciones",
    "demo",
]
# (importing module, imported module): the historial reads sales and quotations.
ALLOWED_BACK = {
    ("clientes.selectors", "ventas.selectors"),
    ("clientes.selectors", "cotizaciones.selectors"),
}


def modules(app: str):
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" not in path.parts:
            relative = path.relative_to(ROOT).with_suffix("")
            yield ".".join(relative.parts).removesuffix(".__init__"), path


def imported(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def back_edges(app: str) -> list[tuple[str, str]]:
    later = LAYERS[LAYERS.index(app) + 1 :]
    return [
        (module, name)
        for module, path in modules(app)
        for name in sorted(imported(path))
        if name.split(".")[0] in later and (module, name) not in ALLOWED_BACK
    ]


@pytest.mark.parametrize("app", LAYERS)
def test_an_app_imports_only_the_apps_it_builds_on(app):
    assert back_edges(app) == []


def test_the_historial_is_the_one_read_going_back():
    clientes_selectors = imported(ROOT / "clientes" / "selectors.py")

    assert {name for _, name in ALLOWED_BACK} <= clientes_selectors


def test_every_app_has_its_layer():
    # Development tools beside the apps, which no app imports: the suite, the bench, devtools.
    packages = {p.parent.name for p in ROOT.glob("*/__init__.py")} - {"tests", "bench", "devtools"}

    assert packages == set(LAYERS)
