"""Sphinx configuration for the regimen documentation."""

from importlib.metadata import version as _version

project = "regimen"
author = "The regimen maintainers"
copyright = "2026, the regimen maintainers"
release = _version("regimen")
version = release

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
]
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build"]
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "undoc-members": False}
nitpicky = False


html_theme = "furo"
html_title = "regimen"
