"""Tests for ``regimen ics``: exact CRLF bytes, reproducible DTSTAMP, no empty calendar (issue 9 item 6)."""

from __future__ import annotations

import builtins
import io
import os
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from regimen import load, to_ics
from regimen._cli import main

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
WELLNESS = str(EXAMPLES / "wellness.toml")
STAMP = datetime(2027, 1, 1, tzinfo=UTC)


def run(*args: str, stdout: Any = None) -> tuple[int, str]:
    """Run the command in this process; return (status, stderr)."""
    err = io.StringIO()
    out = stdout if stdout is not None else io.StringIO()
    code = main(list(args), stdout=out, stderr=err, stdin=io.StringIO(""))
    return code, err.getvalue()


def expected_bytes() -> bytes:
    """Return the calendar of the wellness plan's first two days, stamped 2027-01-01."""
    plan = load(WELLNESS).plan
    assert plan is not None
    text = to_ics(plan, start=plan.start, end="2027-01-05", stamp=STAMP)
    return text.encode()


def assert_crlf_only(data: bytes) -> None:
    """Every line of *data* ends in CRLF, and there is no other CR or LF."""
    assert data.endswith(b"\r\n")
    for line in data[:-2].split(b"\r\n"):
        assert b"\r" not in line
        assert b"\n" not in line


@pytest.fixture
def windows_text_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make files opened in text mode translate newlines to CRLF, as they do on Windows."""
    real_open = io.open

    def translating_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        names = ("buffering", "encoding", "errors", "newline", "closefd", "opener")
        kwargs.update(zip(names, args, strict=False))
        if "b" not in mode and kwargs.get("newline") is None:
            kwargs["newline"] = "\r\n"
        return real_open(file, mode, **kwargs)

    monkeypatch.setattr(io, "open", translating_open)
    monkeypatch.setattr(builtins, "open", translating_open)


class TestExactBytes:
    def test_file_is_written_without_newline_translation(
        self, tmp_path: Path, windows_text_mode: None
    ) -> None:
        """-o FILE writes exactly the CRLF text, even where text files translate newlines."""
        target = tmp_path / "plan.ics"
        code, err = run(
            "ics",
            WELLNESS,
            "-o",
            str(target),
            "--days",
            "2",
            "--stamp",
            "2027-01-01T00:00Z",
        )
        assert (code, err) == (0, "")
        assert target.read_bytes() == expected_bytes()
        assert_crlf_only(target.read_bytes())

    def test_stdout_is_written_without_newline_translation(self) -> None:
        """-o - writes the bytes under the text layer, so a CRLF console adds no CR."""
        raw = io.BytesIO()
        console = io.TextIOWrapper(raw, encoding="utf-8", newline="\r\n")
        console.write("")  # text already pending is flushed before the bytes
        code, err = run(
            "ics", WELLNESS, "-o", "-", "--days", "2", "--stamp", "2027-01-01T00:00Z",
            stdout=console,
        )  # fmt: skip
        assert (code, err) == (0, "")
        assert raw.getvalue() == expected_bytes()

    def test_real_process_stdout_and_file_agree(self, tmp_path: Path) -> None:
        """In a real process, -o - and -o FILE give the same CRLF bytes for one SOURCE_DATE_EPOCH."""
        target = tmp_path / "plan.ics"
        env = {**os.environ, "SOURCE_DATE_EPOCH": "1798761600"}  # 2027-01-01 UTC
        argv = [sys.executable, "-m", "regimen", "ics", WELLNESS, "--days", "2", "-o"]
        to_stdout = subprocess.run(
            [*argv, "-"], capture_output=True, env=env, check=False, timeout=60
        )
        assert to_stdout.returncode == 0, to_stdout.stderr
        done = subprocess.run(
            [*argv, str(target)], capture_output=True, env=env, check=False, timeout=60
        )
        assert done.returncode == 0, done.stderr
        assert to_stdout.stdout == target.read_bytes() == expected_bytes()


class TestStamp:
    def stamps(self, data: bytes) -> set[str]:
        """Return the distinct DTSTAMP values of a calendar."""
        return {s.decode() for s in re.findall(rb"\r\nDTSTAMP:([0-9TZ]+)\r\n", data)}

    def export(self, tmp_path: Path, *extra: str) -> tuple[int, str, bytes]:
        """Export two days of the wellness plan with *extra* options."""
        target = tmp_path / "plan.ics"
        code, err = run("ics", WELLNESS, "-o", str(target), "--days", "2", *extra)
        return code, err, target.read_bytes() if target.exists() else b""

    def test_default_is_now(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Without --stamp or SOURCE_DATE_EPOCH, DTSTAMP is the time of writing."""
        monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
        before = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        code, _, data = self.export(tmp_path)
        after = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        assert code == 0
        (stamp,) = self.stamps(data)
        assert before <= stamp <= after

    def test_source_date_epoch_and_stamp(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """SOURCE_DATE_EPOCH fixes DTSTAMP; --stamp (any offset) wins over it."""
        monkeypatch.setenv("SOURCE_DATE_EPOCH", "1798761600")
        code, _, first = self.export(tmp_path)
        assert code == 0
        assert self.stamps(first) == {"20270101T000000Z"}
        assert self.export(tmp_path)[2] == first
        code, _, data = self.export(tmp_path, "--stamp", "2027-06-01T12:00+02:00")
        assert code == 0
        assert self.stamps(data) == {"20270601T100000Z"}
        monkeypatch.setenv("SOURCE_DATE_EPOCH", " ")
        assert self.export(tmp_path)[0] == 0  # blank counts as unset

    @pytest.mark.parametrize(
        ("env", "option", "words"),
        [
            ("soon", None, "SOURCE_DATE_EPOCH must be a whole number of seconds"),
            ("1.5", None, "SOURCE_DATE_EPOCH must be a whole number of seconds"),
            ("9" * 40, None, "SOURCE_DATE_EPOCH must be a whole number of seconds"),
            ("999999999999", None, "SOURCE_DATE_EPOCH 999999999999 is outside"),
            ("-99999999999", None, "SOURCE_DATE_EPOCH -99999999999 is outside"),
            (None, "2027-01-01T00:00", "--stamp needs a UTC offset"),
            (None, "tomorrow", "--stamp must be an ISO date and time"),
            (None, "9999-12-31T23:00-05:00", "--stamp must be between"),
        ],
    )
    def test_bad_stamp(
        self,
        tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch,
        env: str | None,
        option: str | None,
        words: str,
    ) -> None:
        """A bad SOURCE_DATE_EPOCH or --stamp exits 2 with one line and writes nothing."""
        if env is None:
            monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
        else:
            monkeypatch.setenv("SOURCE_DATE_EPOCH", env)
        extra = () if option is None else ("--stamp", option)
        code, err, data = self.export(tmp_path, *extra)
        assert (code, data) == (2, b"")
        assert err.count("\n") == 1
        assert err.startswith(f"regimen ics: {words}"), err


class TestEmptyWindow:
    def test_no_events_is_exit_2_and_no_file(self, tmp_path: Path) -> None:
        """A window without doses exits 2 with one line and leaves -o FILE untouched."""
        target = tmp_path / "plan.ics"
        target.write_bytes(b"old")
        code, err = run(
            "ics", WELLNESS, "-o", str(target), "--from", "2026-01-01", "--days", "3"
        )
        assert code == 2
        assert err == (
            "regimen ics: no dose events from 2026-01-01 to 2026-01-03 to export: "
            "an iCalendar file must hold at least one event (RFC 5545 section 3.6); "
            "choose dates with doses\n"
        )
        assert target.read_bytes() == b"old"

    def test_unwritable_output(self, tmp_path: Path) -> None:
        """An output path that cannot be written is one line naming it."""
        code, err = run("ics", WELLNESS, "-o", str(tmp_path), "--days", "1")
        assert code == 2
        assert err == f"regimen ics: cannot write {tmp_path} (Is a directory)\n"
