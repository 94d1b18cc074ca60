"""Tests for hostile input to the file reader: special files, huge numbers, edges of the date range."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from regimen import LoadError, load, loads

MINIMAL = """
[[substances]]
name = "kratom"

[[products]]
name = "Maeng Da"
contents = { kratom = "1 g" }
per = "1 g"

[plan]
name = "p"
timezone = "America/New_York"
start = 2027-01-01
end = 2027-01-03

[[plan.entries]]
dose = { product = "Maeng Da", amount = "2 g" }
schedule = { kind = "daily", times = ["08:00"] }
"""

LOG = """
[[log]]
at = {at}
dose = {{ product = "Maeng Da", amount = "2 g" }}
"""


def problems(text: str | bytes, fmt: str = "toml") -> list[str]:
    with pytest.raises(LoadError) as info:
        loads(text, format=fmt)  # type: ignore[arg-type]
    return list(info.value.problems)


def _load_in_child(path: str, *, memory: int | None = None) -> str:
    """Run ``load(path)`` in a fresh interpreter (bounded in time and memory); return its output."""
    code = textwrap.dedent(
        f"""
        import resource, regimen
        if {memory!r}:
            resource.setrlimit(resource.RLIMIT_AS, ({memory!r}, {memory!r}))
        try:
            regimen.load({path!r})
        except regimen.LoadError as error:
            print("LoadError", error.problems[0])
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return result.stdout + result.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
class TestSpecialFiles:
    def test_fifo_without_writer_does_not_block(self, tmp_path: Path) -> None:
        """A named pipe nobody writes to is refused at once instead of blocking forever."""
        fifo = tmp_path / "plan.toml"
        os.mkfifo(fifo)
        out = _load_in_child(str(fifo))
        assert (
            out
            == f"LoadError {fifo}: a pipe (FIFO), not a regular file; regimen reads plan files only\n"
        )

    def test_endless_device_is_not_read(self) -> None:
        """``/dev/zero`` (size 0 by stat, endless when read) is refused, not read into memory."""
        out = _load_in_child("/dev/zero", memory=2_000_000_000)
        assert out == (
            "LoadError /dev/zero: a character device, not a regular file; "
            "regimen reads plan files only\n"
        )

    def test_directory(self, tmp_path: Path) -> None:
        """A directory is refused with a message that says so."""
        with pytest.raises(LoadError, match="a directory, not a regular file"):
            load(tmp_path)

    def test_dash_is_a_file_name(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """``load("-")`` reads a file named ``-``; standard input is the command's business."""
        monkeypatch.chdir(tmp_path)
        with pytest.raises(LoadError) as info:
            load("-")
        assert info.value.problems == (
            "-: cannot read the file (No such file or directory)",
        )
        (tmp_path / "-").write_text(MINIMAL)
        assert load("-").plan is not None

    def test_what_is_read_is_capped(self, tmp_path: Path) -> None:
        """A file over the limit is refused after reading one byte more than the limit."""
        big = tmp_path / "big.toml"
        big.write_bytes(b"#" * 3_000_000)
        with pytest.raises(LoadError, match=r"big\.toml: over the 1000000-byte limit"):
            load(big)


class TestNumbers:
    @pytest.mark.parametrize("sign", ["", "-", "+"])
    def test_toml_int_over_the_digit_limit(self, sign: str) -> None:
        """A whole number of 4,301 digits in TOML is a problem at its path, not Python's ValueError."""
        assert problems("version = " + sign + "9" * 4301) == [
            "version: a whole number of 4301 digits is out of range"
        ]

    def test_json_int_over_the_digit_limit(self) -> None:
        """The same number in JSON is a problem at its path too."""
        text = '{"version": ' + "9" * 4301 + "}"
        assert problems(text, "json") == [
            "version: a whole number of 4301 digits is out of range"
        ]

    def test_long_numbers_deep_inside(self) -> None:
        """Long numbers anywhere are reported at their own paths, with other problems."""
        text = MINIMAL.replace("n_days", "x") + (
            '[profile]\n[[profile.rules]]\ntype = "max-doses"\nsubstance = "kratom"\n'
            f'count = {"1" * 5000}\nper = "day"\n'
        )
        assert problems(text) == [
            "profile.rules[0].count: a whole number of 5000 digits is out of range"
        ]
        doc = {"plan": {"entries": [1, int("7" * 4000)]}}
        assert problems(json.dumps(doc), "json") == [
            "plan.entries[1]: a whole number of 4000 digits is out of range"
        ]

    def test_long_digit_text_is_fine(self) -> None:
        """Digits in text (a note) are not numbers and load as written."""
        note = "1" * 5000
        text = MINIMAL.replace(
            'amount = "2 g" }', f'amount = "2 g", note = "{note}" }}'
        )
        bundle = loads(text)
        assert bundle.plan is not None
        assert bundle.plan.entries[0].dose.note == note


class TestByteOrderMark:
    def test_toml_text_and_bytes(self) -> None:
        """A UTF-8 byte-order mark before TOML is skipped, in text and in bytes."""
        plain = loads(MINIMAL)
        assert loads("\ufeff" + MINIMAL) == plain
        assert loads(b"\xef\xbb\xbf" + MINIMAL.encode()) == plain

    def test_json_file(self, tmp_path: Path) -> None:
        """A JSON file written by an editor that adds a byte-order mark loads."""
        path = tmp_path / "plan.json"
        path.write_bytes(b"\xef\xbb\xbf" + json.dumps({"version": 1}).encode())
        assert load(path).plan is None


class TestDateRange:
    @pytest.mark.parametrize(
        ("old", "new", "where", "shown"),
        [
            ("start = 2027-01-01", "start = 0001-01-01", "plan.start", "0001-01-01"),
            ("end = 2027-01-03", "end = 9999-12-31", "plan.end", "9999-12-31"),
            ("end = 2027-01-03", 'end = "9999-12-31"', "plan.end", "9999-12-31"),
            (
                'schedule = { kind = "daily"',
                'end = 9999-01-01\nschedule = { kind = "daily"',
                "plan.entries[0].end",
                "9999-01-01",
            ),
        ],
    )
    def test_plan_dates(self, old: str, new: str, where: str, shown: str) -> None:
        """A plan date outside 0002-01-01..9998-12-31 is refused at its path."""
        assert old in MINIMAL
        assert problems(MINIMAL.replace(old, new, 1)) == [
            f"{where}: {shown} is outside the dates regimen supports, 0002-01-01 to 9998-12-31"
        ]

    def test_break_dates(self) -> None:
        """A break reaching past the last supported date is refused at its path."""
        text = MINIMAL + "[[plan.breaks]]\nstart = 2027-01-02\nend = 9999-06-01\n"
        assert problems(text) == [
            "plan.breaks[0].end: 9999-06-01 is outside the dates regimen supports, "
            "0002-01-01 to 9998-12-31"
        ]

    @pytest.mark.parametrize(
        "at",
        [
            '"9999-12-31T23:59:00-05:00"',
            "9999-12-31T23:59:00-05:00",
            '"0001-01-01T00:00:00+05:00"',
            "0001-01-02T08:00:00",
        ],
    )
    def test_log_times(self, at: str) -> None:
        """A logged dose outside the supported range is refused at its path (offset or not)."""
        (problem,) = problems(MINIMAL + LOG.format(at=at))
        assert problem.startswith("log[0].at: ")
        assert problem.endswith(
            "is outside the dates regimen supports, 0002-01-01 to 9998-12-31"
        )

    def test_edges_are_inside(self) -> None:
        """The first and last supported dates themselves load."""
        text = MINIMAL.replace("2027-01-01", "0002-01-01").replace(
            "2027-01-03", "9998-12-31"
        )
        bundle = loads(text)
        assert bundle.plan is not None
        assert bundle.plan.end is not None
        assert bundle.plan.end.year == 9998

    def test_a_date_and_time_is_not_a_date(self) -> None:
        """A TOML date-time where a date belongs is a problem at its path, not a crash on comparing it."""
        text = MINIMAL.replace("start = 2027-01-01", "start = 9999-01-01T08:00:00")
        assert problems(text) == [
            "plan.start: expected a date like 2027-01-31 (got datetime.datetime(9999, 1, 1, 8, 0))"
        ]


def test_a_huge_text_is_refused_before_it_is_copied() -> None:
    """A str longer than the byte limit is refused by its length, without encoding it."""
    from regimen import LoadError, loads
    from regimen._files._text import MAX_BYTES

    text = "#" * (MAX_BYTES + 1)
    with pytest.raises(LoadError, match="characters is over the"):
        loads(text)


class TestLoneSurrogates:
    """Half of a UTF-16 pair is not a character: refused with its path, never a raw error later."""

    def document(self) -> dict[str, object]:
        import tomllib

        data: dict[str, object] = tomllib.loads(MINIMAL)
        return json.loads(json.dumps(data, default=str))  # type: ignore[no-any-return]

    @pytest.mark.parametrize(
        ("where", "path"),
        [
            (("plan", "name"), "plan.name"),
            (("products", 0, "name"), "products[0].name"),
            (("plan", "entries", 0, "dose", "product"), "plan.entries[0].dose.product"),
        ],
    )
    def test_json_escape_of_half_a_pair_is_refused_with_its_path(
        self, where: tuple[str | int, ...], path: str
    ) -> None:
        data = self.document()
        node: object = data
        for step in where[:-1]:
            node = node[step]  # type: ignore[index]
        node[where[-1]] = "bad \ud800 text"  # type: ignore[index]
        text = json.dumps(data)  # writes the escape \ud800
        assert "\\ud800" in text
        with pytest.raises(LoadError) as caught:
            loads(text, format="json")
        assert caught.value.problems[0].startswith(f"{path}: a \\u escape spells half")

    def test_a_note_with_half_a_pair_never_reaches_the_calendar(self) -> None:
        data = self.document()
        data["plan"]["entries"][0]["dose"]["note"] = "\udc00"  # type: ignore[index]
        with pytest.raises(LoadError, match=r"plan\.entries\[0\]\.dose\.note"):
            loads(json.dumps(data), format="json")

    def test_a_proper_pair_written_as_escapes_is_read(self) -> None:
        data = self.document()
        data["plan"]["name"] = "kefir \U0001f95b"  # type: ignore[index]
        text = json.dumps(data)  # ensure_ascii: the pair as two escapes
        assert "\\ud83e\\udd5b" in text
        bundle = loads(text, format="json")
        assert bundle.plan is not None
        assert bundle.plan.name == "kefir \U0001f95b"

    def test_constructors_refuse_it_naming_the_field(self) -> None:
        from regimen import Dose, Plan, Product, Substance

        with pytest.raises(
            ValueError, match=r"Plan\.name must be Unicode text .*position 1"
        ):
            Plan("x\ud800", timezone="UTC", start="2027-01-01", end="2027-01-02")
        product = Product("P", contents={Substance("k"): "1 g"}, per="1 g")
        with pytest.raises(ValueError, match=r"Dose\.note must be Unicode text"):
            Dose(product, "1 g", note="\udfff")
        with pytest.raises(ValueError, match=r"Substance\.name must be Unicode text"):
            Substance("\udbff")


def test_a_long_list_of_problems_is_shown_in_part() -> None:
    """The message shows the first 50 problems and a count; .problems keeps all."""
    error = LoadError([f"plan.entries[{i}]: bad" for i in range(52)])
    lines = str(error).splitlines()
    assert lines[0] == "52 problems in the plan file:"
    assert lines[1:51] == [f"  plan.entries[{i}]: bad" for i in range(50)]
    assert lines[51:] == ["  ... and 2 more problems (LoadError.problems lists all)"]
    assert len(error.problems) == 52
    one_more = str(LoadError([f"p[{i}]: bad" for i in range(51)])).splitlines()
    assert one_more[-1] == "  ... and 1 more problem (LoadError.problems lists all)"
    assert "more" not in str(LoadError([f"p[{i}]: bad" for i in range(50)]))
