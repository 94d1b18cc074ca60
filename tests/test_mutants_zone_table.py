"""Tests that pin regimen._zone_table exactly enough to kill its mutants (issue 10)."""

from __future__ import annotations
