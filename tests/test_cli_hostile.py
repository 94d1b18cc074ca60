"""Tests for the command on hostile input: one clear line and exit 2, never a traceback (issue 10)."""

from __future__ import annotations

import errno
import io
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from regimen._cli import main
from regimen._io import MAX_BYTES

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
WELLNESS = str(EXAMPLES / "wellness.toml")
LOG = str(EXAMPLES / "medications.toml")


def run(*args: str, stdin: io.TextIOBase | None = None) -> tuple[int, str, str]:
    """Run the command in this process; return (status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    given = stdin if stdin is not None else io.StringIO("")
    code = main(list(args), stdout=out, stderr=err, stdin=given)  # type: ignore[arg-type]
    return code, out.getvalue(), err.getvalue()


def assert_one_line(err: str, command: str, *words: str) -> None:
    """Stderr is exactly one line, naming the command, with *words* and no traceback."""
    assert err.count("\n") == 1, err
    assert err.endswith("\n")
    assert err.startswith(f"regimen {command}: "), err
    assert "Traceback" not in err
    for word in words:
        assert word in err, err


def limited() -> None:  # pragma: no cover - runs in the child process
    """Cap the child's memory at 1 GiB, so an unbounded read fails instead of eating the machine."""
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


def run_process(
    *args: str, shell: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m regimen`` (through ``sh -c`` with *shell* redirections) with a time and memory cap."""
    argv = [sys.executable, "-m", "regimen", *args]
    if shell is not None:
        argv = ["sh", "-c", f'exec "$@" {shell}', "sh", *argv]
    return subprocess.run(
        argv,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
        preexec_fn=limited,
    )


class TestArguments:
    @pytest.mark.parametrize(
        ("argv", "words"),
        [
            (["check", WELLNESS, "--days", "999999999"], ["--days 999999999", "9998-12-31", "--days 2911710 or fewer"]),
            (["check", WELLNESS, "--days", "9" * 31], ["ends after 9998-12-31"]),
            (["summary", WELLNESS, "--days", "9" * 5000], ["not a whole number of days", "..."]),
            (["check", WELLNESS, "--days", "-3"], ["--days must be 1 or more (got -3)"]),
            (["check", WELLNESS, "--days", "two"], ["not a whole number of days: 'two'"]),
            (["check", WELLNESS, "--from", "9999-12-31", "--days", "2"], ["'9999-12-31' is outside", "0002-01-01 to 9998-12-31"]),
            (["ics", WELLNESS, "-o", "-", "--from", "0001-01-01"], ["'0001-01-01' is outside"]),
            (["summary", WELLNESS, "--from", "9998-12-31", "--days", "2"], ["from 9998-12-31 ends after 9998-12-31", "--days 1 or fewer"]),
            (["check", LOG, "--from", "9998-12-01", "--days", "99"], ["--days 31 or fewer"]),
            (["check", LOG, "--days", "9" * 31], ["--days needs --from"]),
            (["allowance", WELLNESS, "--substance", "kratom", "--at", "9999-12-31T23:59"], ["--at must be between 0002-01-01 and 9998-12-31"]),
            (["allowance", WELLNESS, "--substance", "kratom", "--at", "9998-12-31T23:59"], ["9998-12-31 in UTC", "which is 9999-01-01T04:59:00 in UTC"]),
            (["allowance", WELLNESS, "--substance", "kratom", "--at", "0001-01-01T00:00"], ["--at must be between", "0001-01-01T00:00:00-04:56"]),
            (["allowance", LOG, "--substance", "kratom", "--at", "9999-12-31T23:59+14:00"], ["--at must be between"]),
            (["allowance", LOG, "--substance", "kratom", "--at", "0001-01-01T00:00-12:00"], ["--at must be between"]),
            (["allowance", WELLNESS, "--substance", "kratom", "--at", "x" * 5000], ["--at must be an ISO date", "..."]),
            (["check"], ["the following arguments are required: FILE", "regimen check --help"]),
        ],
    )  # fmt: skip
    def test_refused_in_one_line(self, argv: list[str], words: list[str]) -> None:
        """Out-of-range dates and day counts exit 2 with one line that says what to change."""
        code, out, err = run(*argv)
        assert (code, out) == (2, "")
        assert_one_line(err, argv[0], *words)

    @pytest.mark.parametrize(
        "at", ["9998-12-31T12:00", "0002-01-01T12:00", "2030-01-01T12:00"]
    )
    def test_allowance_near_the_edges(self, at: str) -> None:
        """Allowance on the first and last supported days, far from planned doses, answers."""
        code, out, err = run("allowance", WELLNESS, "--substance", "kratom", "--at", at)
        assert (code, err) == (0, "")
        assert ": up to 7 g\n" in out

    def test_last_supported_day_works(self) -> None:
        """A window ending exactly on the last supported day is accepted."""
        code, out, err = run("check", LOG, "--from", "9998-12-01", "--days", "31")
        assert (code, err) == (0, "")
        assert "error" not in out.replace("0 error(s)", "")

    def test_bad_command_is_one_line(self) -> None:
        """An unknown command is one line on the given stderr, not argparse's usage text."""
        code, out, err = run("bogus")
        assert (code, out) == (2, "")
        assert err.count("\n") == 1
        assert err.startswith("regimen: argument COMMAND: invalid choice: 'bogus'")


class TestStreams:
    def test_closed_stdin(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Reading - when standard input is closed (sys.stdin is None) exits 2."""
        monkeypatch.setattr(sys, "stdin", None)
        out, err = io.StringIO(), io.StringIO()
        assert main(["check", "-"], stdout=out, stderr=err) == 2
        assert_one_line(err.getvalue(), "check", "standard input is closed")

    def test_closed_stdout(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Writing to - when standard output is closed (sys.stdout is None) exits 2."""
        monkeypatch.setattr(sys, "stdout", None)
        err = io.StringIO()
        assert main(["ics", WELLNESS, "-o", "-", "--days", "1"], stderr=err) == 2
        assert_one_line(err.getvalue(), "ics", "standard output is closed", "-o FILE")
        err = io.StringIO()
        assert main(["summary", WELLNESS], stderr=err) == 2
        assert_one_line(err.getvalue(), "summary", "standard output is closed")

    def test_closed_streams_in_a_real_process(self) -> None:
        """With fd 0 or fd 1 really closed, the command exits 2 with one line."""
        done = run_process("check", "-", shell="<&-")
        assert done.returncode == 2
        assert_one_line(done.stderr, "check", "standard input is closed")
        done = run_process("ics", WELLNESS, "-o", "-", "--days", "1", shell=">&-")
        assert done.returncode == 2
        assert_one_line(done.stderr, "ics", "standard output is closed")

    def test_full_stdout(self) -> None:
        """A write error on standard output (a full disk) is one line, exit 2."""

        class Full(io.StringIO):
            def write(self, _text: str) -> int:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        err = io.StringIO()
        assert main(["check", WELLNESS], stdout=Full(), stderr=err) == 2
        assert err.getvalue() == (
            f"regimen check: cannot write standard output ({os.strerror(errno.ENOSPC)})\n"
        )

    def test_broken_pipe_in_a_real_process(self) -> None:
        """A reader that goes away gives one line and exit 2, not Python's ignored-exception noise."""
        argv = [sys.executable, "-m", "regimen", "summary", WELLNESS]
        read_end, write_end = os.pipe()
        os.close(read_end)  # the reader is gone before the first write
        try:
            done = subprocess.run(
                argv,
                stdout=write_end,
                stderr=subprocess.PIPE,
                text=True,
                timeout=60,
                check=False,
            )
        finally:
            os.close(write_end)
        status, err = done.returncode, done.stderr
        assert status == 2
        assert_one_line(err, "summary", "cannot write standard output")

    def test_stdin_is_capped(self) -> None:
        """Endless standard input is refused after MAX_BYTES + 1 bytes, not read to the end."""

        class Zeros(io.BufferedIOBase):
            consumed = 0

            def readable(self) -> bool:
                return True

            def read(self, size: int | None = -1, /) -> bytes:
                assert size is not None, "an unbounded read"
                assert size >= 0, "an unbounded read"
                Zeros.consumed += size
                return bytes(size)

        stdin = io.TextIOWrapper(Zeros(), encoding="utf-8")  # type: ignore[type-var]
        code, out, err = run("check", "-", stdin=stdin)
        assert (code, out) == (2, "")
        assert_one_line(err, "check", f"more than {MAX_BYTES} bytes")
        assert Zeros.consumed == MAX_BYTES + 1

    def test_stdin_limit_counts_bytes(self) -> None:
        """The limit is in bytes: 600,000 two-byte characters are too many."""
        text = "# " + "é" * 600_000 + "\n"
        stdin = io.TextIOWrapper(io.BytesIO(text.encode()), encoding="utf-8")
        code, _, err = run("check", "-", stdin=stdin)
        assert code == 2
        assert_one_line(err, "check", f"more than {MAX_BYTES} bytes")
        code, _, err = run("check", "-", stdin=io.StringIO(text))
        assert code == 2
        assert_one_line(err, "check", f"more than {MAX_BYTES} bytes")

    def test_stdin_bytes_json_and_toml(self) -> None:
        """Standard input is read as bytes: JSON (after white space) and TOML both load."""
        data = Path(LOG).read_bytes()
        stdin = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")
        assert run("check", "-", stdin=stdin)[0] == 1
        done = run_process("summary", "-", "--format", "json", shell=f"< {WELLNESS}")
        assert done.returncode == 0, done.stderr
        stdin = io.TextIOWrapper(io.BytesIO(b"\n  " + done.stdout.encode()))
        code, _, err = run("check", "-", stdin=stdin)
        assert code == 2  # a summary is JSON, but not a plan file
        assert "problem" in err


class TestSpecialFiles:
    @pytest.mark.parametrize(
        ("path", "kind"),
        [("/dev/zero", "a character device"), ("/dev/urandom", "a character device")],
    )
    def test_devices_are_refused(self, path: str, kind: str) -> None:
        """Endless devices are refused before reading, in a real process with 1 GiB of memory."""
        if not Path(path).exists():  # pragma: no cover - every POSIX system has them
            pytest.skip(f"no {path}")
        done = run_process("check", path)
        assert done.returncode == 2
        assert_one_line(
            done.stderr, "check", f"{path} is {kind}", "or - to read standard input"
        )

    def test_fifo_without_writer_is_refused(self, tmp_path: Path) -> None:
        """A FIFO nobody writes to is refused at once instead of blocking on open."""
        fifo = tmp_path / "plan.toml"
        os.mkfifo(fifo)
        done = run_process("check", str(fifo))
        assert done.returncode == 2
        assert_one_line(done.stderr, "check", "is a pipe (FIFO)")

    def test_directory_is_refused(self, tmp_path: Path) -> None:
        """A directory is named as one, in one line."""
        code, _, err = run("summary", str(tmp_path))
        assert code == 2
        assert_one_line(err, "summary", "is a directory, not a plan file")

    def test_endless_stdin_in_a_real_process(self) -> None:
        """- with /dev/zero on standard input stops at the byte limit."""
        done = run_process("check", "-", shell="< /dev/zero")
        assert done.returncode == 2
        assert_one_line(done.stderr, "check", f"more than {MAX_BYTES} bytes")


class TestBugsStayVisible:
    def test_unexpected_exception_keeps_its_traceback(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """An error that is not caused by the input (a bug) is not turned into exit 2."""

        def broken(*_args: object, **_kwargs: object) -> None:
            raise ZeroDivisionError

        monkeypatch.setattr("regimen._validate.validate", broken)
        with pytest.raises(ZeroDivisionError):
            run("check", WELLNESS)
