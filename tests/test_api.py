"""Tests for the public surface: exports, docs, import weight, packaging."""

from __future__ import annotations

import inspect
import json
import pickle
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

import regimen
from regimen import (
    ExpansionError,
    LoadError,
    PlanViolationError,
    RegimenError,
    UnitError,
)

DOCS = Path(__file__).resolve().parent.parent / "docs"


class TestExports:
    def test_all_is_sorted_and_importable(self) -> None:
        """Every name in ``__all__`` exists and the list is sorted."""
        assert list(regimen.__all__) == sorted(regimen.__all__)
        for name in regimen.__all__:
            assert getattr(regimen, name) is not None

    @pytest.mark.parametrize("name", regimen.__all__)
    def test_every_public_name_is_documented(self, name: str) -> None:
        """Each export has a docstring and appears in the API reference."""
        obj = getattr(regimen, name)
        doc = inspect.getdoc(obj)
        assert doc, f"{name} has no docstring"
        assert doc.splitlines()[0].endswith("."), (
            f"{name}: first line is not a sentence"
        )
        reference = (DOCS / "api.md").read_text()
        assert name in reference, f"{name} is missing from docs/api.md"

    def test_version_comes_from_metadata(self) -> None:
        """``__version__`` is the installed distribution's version."""
        assert regimen.__version__ == version("regimen")
        with pytest.raises(AttributeError, match="no attribute 'nope'"):
            _ = regimen.nope  # type: ignore[attr-defined]

    def test_lazy_names_load_on_first_use(self) -> None:
        """Lazily loaded names resolve on first use, in a fresh process, by both spellings."""
        code = (
            "import sys, regimen; "
            "before = 'regimen._validate' in sys.modules; "
            "from regimen import validate; "
            "print(before, regimen.validate is validate, 'validate' in dir(regimen))"
        )
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout
        assert out.split() == ["False", "True", "True"]

    def test_ships_py_typed(self) -> None:
        """The package is marked as typed (PEP 561)."""
        assert (Path(regimen.__file__).parent / "py.typed").exists()


class TestImportWeight:
    def test_import_pulls_in_no_optional_extra(self) -> None:
        """``import regimen`` (and a small validation) imports no optional extra, nor numpy."""
        code = (
            "import sys, json, regimen; "
            "regimen.validate(regimen.Timeline([])); "
            "print(json.dumps(sorted(m for m in sys.modules "
            "if m.split('.')[0] in {'hypothesis', 'icalendar', 'cattrs', 'pandas', "
            "'matplotlib', 'numpy'})))"
        )
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout
        assert json.loads(out) == []


class TestErrors:
    @pytest.mark.parametrize(
        "error",
        [
            RegimenError("x"),
            UnitError("unknown unit 'scoop'"),
            ExpansionError("too many events"),
            LoadError(["plan.start: not a date", "plan.timezone: unknown zone 'X'"]),
        ],
    )
    def test_errors_pickle(self, error: RegimenError) -> None:
        """Every error survives a pickle round trip with its message."""
        back = pickle.loads(pickle.dumps(error))
        assert type(back) is type(error)
        assert str(back) == str(error)

    def test_load_error_lists_every_problem(self) -> None:
        """LoadError keeps its problems and shows them all."""
        error = LoadError(["a: bad", "b: worse"])
        assert error.problems == ("a: bad", "b: worse")
        assert str(error) == "2 problems in the plan file:\n  a: bad\n  b: worse"
        assert isinstance(error, ValueError)

    def test_hierarchy(self) -> None:
        """Concrete errors are RegimenErrors and the built-in kind they are."""
        assert issubclass(UnitError, ValueError)
        assert issubclass(ExpansionError, RegimenError)
        assert issubclass(PlanViolationError, RegimenError)
        assert UnitError.__module__ == "regimen"
