"""Tests for the regimen command: exit codes, outputs, and never a traceback."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import tomllib
from pathlib import Path

import icalendar
import jsonschema
import pytest

from regimen import load
from regimen._cli import main
from regimen._schema import schema

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
WELLNESS = str(EXAMPLES / "wellness.toml")


def run(*args: str, stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), stdout=out, stderr=err, stdin=io.StringIO(stdin))
    return code, out.getvalue(), err.getvalue()


class TestCheck:
    def test_exit_codes(self) -> None:
        """0 when clean, 1 when a rule reports an error, 2 for unreadable input."""
        assert run("check", str(EXAMPLES / "taper.toml"))[0] == 0
        code, out, _ = run("check", WELLNESS)
        assert code == 1
        assert "[break-cadence]" in out
        code, out, err = run("check", str(EXAMPLES / "missing.toml"))
        assert (code, out) == (2, "")
        assert err.startswith("regimen check: 1 problem in the plan file:")
        assert "Traceback" not in err

    def test_json_output_and_window(self) -> None:
        """--format json is the report's dict; --from/--days narrow the window."""
        code, out, _ = run(
            "check",
            WELLNESS,
            "--format",
            "json",
            "--from",
            "2027-01-04",
            "--days",
            "14",
        )
        assert code == 0
        data = json.loads(out)
        # Two weeks hold no break-cadence error (the whole plan does); notes
        # about terms the plan never uses may add INFO findings.
        assert data["ok"] is True
        assert data["counts"]["error"] == data["counts"]["warning"] == 0
        assert len(data["findings"]) == data["counts"]["info"]
        assert {f["severity"] for f in data["findings"]} <= {"info"}

    def test_stdin_and_bad_input(self) -> None:
        """- reads standard input (TOML or JSON); bad input is exit 2 with a message."""
        text = Path(WELLNESS).read_text()
        assert run("check", "-", "--days", "3", stdin=text)[0] == 0
        code, _, err = run("check", "-", stdin="plan = [")
        assert code == 2
        assert "not valid TOML" in err
        code, _, err = run("check", "-", stdin='{"plan": {"name": "x"}}')
        assert code == 2
        assert "plan.timezone: required key missing" in err

    def test_usage_errors(self) -> None:
        """Bad usage exits 2 with argparse's message, and --days must be positive."""
        assert run("bogus")[0] == 2
        assert run("check")[0] == 2
        code, _, err = run("check", WELLNESS, "--days", "0")
        assert code == 2
        assert "--days must be 1 or more" in err
        code, _, err = run("check", str(EXAMPLES / "medications.toml"), "--days", "3")
        assert code == 2
        assert "--days needs --from" in err

    def test_log(self) -> None:
        """A file with only a log is checked as a log."""
        code, out, _ = run("check", str(EXAMPLES / "medications.toml"))
        assert code == 1
        assert "taken while on sertraline" in out


class TestOtherCommands:
    def test_summary_formats(self) -> None:
        """Summary renders text, Markdown and JSON."""
        code, out, _ = run("summary", WELLNESS)
        assert code == 0
        assert out.startswith(
            "wellness protocol: America/New_York, 2027-01-04 to 2027-02-28"
        )
        assert run("summary", WELLNESS, "--format", "md")[1].startswith(
            "# wellness protocol"
        )
        data = json.loads(
            run("summary", WELLNESS, "--format", "json", "--days", "7")[1]
        )
        assert data["period"]["days"] == 7

    def test_ics(self, tmp_path: Path) -> None:
        """Ics writes a calendar with one recurring event per entry (--per-dose: per dose)."""
        target = tmp_path / "plan.ics"
        assert (
            run(
                "ics",
                WELLNESS,
                "-o",
                str(target),
                "--days",
                "2",
                "--reminder",
                "15 min",
            )[0]
            == 0
        )
        calendar = icalendar.Calendar.from_ical(target.read_text())
        assert len(list(calendar.walk("VEVENT"))) == 6
        assert (
            run("ics", WELLNESS, "-o", str(target), "--days", "2", "--per-dose")[0] == 0
        )
        calendar = icalendar.Calendar.from_ical(target.read_text())
        assert len(list(calendar.walk("VEVENT"))) == 12
        code, out, _ = run("ics", WELLNESS, "-o", "-", "--days", "1")
        assert code == 0
        assert out.startswith("BEGIN:VCALENDAR")

    def test_allowance(self) -> None:
        """Allowance answers what may still be taken, in text or JSON."""
        code, out, _ = run(
            "allowance",
            str(EXAMPLES / "medications.toml"),
            "--substance",
            "kratom",
            "--at",
            "2027-01-10T22:00-05:00",
            "--format",
            "json",
        )
        assert code == 0
        data = json.loads(out)
        assert data["amount"] == "0 g"
        assert data["allowed_now"] is False
        # The error-level note against antidepressants and the sertraline
        # among the medications forbid kratom at any moment.
        assert data["earliest"] is None
        assert data["earliest_limited_by"]["b"] == "antidepressant"
        code, out, _ = run(
            "allowance", WELLNESS, "--substance", "kratom", "--at", "2027-01-05T17:00"
        )
        assert code == 0
        # 20:00 is planned: the 4 h interval leaves no room before it, and
        # after it none before midnight, when the 24 h window leaves 0.5 g.
        assert out.startswith(
            "kratom at 2027-01-05 17:00 EST: no dose allowed now\n"
            "limited now by min-interval (substance kratom, interval 4 h)\n"
            "earliest dose allowed: 2027-01-06 00:00 EST (up to 0.5 g)\n"
        )
        code, _, err = run(
            "allowance", WELLNESS, "--substance", "kratom", "--at", "soon"
        )
        assert code == 2
        assert "--at must be an ISO date and time" in err

    def test_schema_validates_every_example(self) -> None:
        """Regimen schema prints a JSON Schema that the shipped examples (and dumps) satisfy."""
        code, out, _ = run("schema")
        assert code == 0
        printed = json.loads(out)
        assert printed == schema()
        jsonschema.Draft202012Validator.check_schema(printed)
        validator = jsonschema.Draft202012Validator(printed)
        for path in sorted(EXAMPLES.glob("*.toml")):
            data = json.loads(json.dumps(tomllib.loads(path.read_text()), default=str))
            errors = [e.message for e in validator.iter_errors(data)]
            assert errors == [], path.name
        bad = {
            "plan": {"name": "x", "timezone": "UTC", "start": "2027-01-01", "colour": 1}
        }
        assert not validator.is_valid(bad)

    def test_python_dash_m(self) -> None:
        """Python -m regimen runs the command in a real process, exit code included."""
        done = subprocess.run(
            [sys.executable, "-m", "regimen", "check", WELLNESS],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 1
        assert "break-cadence" in done.stdout
        done = subprocess.run(
            [sys.executable, "-m", "regimen", "check", "/nonexistent"],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 2
        assert "Traceback" not in done.stderr
        assert load(WELLNESS).plan is not None

    def test_readme_shows_the_real_output(self) -> None:
        """The README's quickstart output is what the main job prints today."""
        readme = (EXAMPLES.parent / "README.md").read_text()
        shown = readme.split("```text\n", 1)[1].split("```", 1)[0]
        assert run("summary", WELLNESS)[1] == shown

    @pytest.mark.parametrize("argv", [["--help"], ["check", "--help"]])
    def test_help_exits_zero(self, argv: list[str]) -> None:
        """--help is not an error."""
        assert run(*argv)[0] == 0
