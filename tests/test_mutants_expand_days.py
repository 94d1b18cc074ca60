"""Tests that pin regimen._expand_days exactly enough to kill its mutants (issue 10)."""

from __future__ import annotations
