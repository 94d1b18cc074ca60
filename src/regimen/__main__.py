"""``python -m regimen``: the same as the ``regimen`` command."""

from ._cli import run

run()
