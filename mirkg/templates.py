"""Every page (and the .htaccess) is rendered here, from the Jinja2 templates of mirkg/templates/.

Autoescaping is on for HTML; the environment has no clock, no randomness and sorted inputs come
from the callers, so a page's bytes are a function of what it is given.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

TEMPLATES = Path(__file__).resolve().parent / "templates"
ASSETS = Path(__file__).resolve().parent / "site_assets"


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html.j2", "svg.j2", "html"], default_for_string=False),
        undefined=StrictUndefined,  # a missing value is a bug, not an empty string on a page
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # the package's own templates: no file's time looked up at every page
    )
    env.globals["asset"] = asset
    return env


@cache
def asset(name: str) -> Markup:
    """A style sheet or script of mirkg/site_assets, inlined so pages work offline from the file
    system (our own file, so not escaped)."""
    return Markup((ASSETS / name).read_text(encoding="utf-8").strip())


def render(template: str, **context) -> str:
    return environment().get_template(template).render(**context)


@cache
def macro(name: str, template: str = "macros.html.j2"):
    """A macro of a template, to call from Python on a value a page shows many times."""
    return getattr(environment().get_template(template).module, name)
