"""The allowance command names the rules as plan files write them, never a repr."""

from __future__ import annotations

import io
import json
from pathlib import Path

from regimen._cli import main

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _run(*args: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), stdout=out, stderr=err, stdin=io.StringIO(""))
    return code, out.getvalue()


class TestAllowanceCommand:
    def test_json_names_rules_by_their_table(self) -> None:
        """JSON gives both rules as plan-file tables, and the amount at earliest."""
        code, out = _run(
            "allowance",
            str(EXAMPLES / "medications.toml"),
            "--substance",
            "kratom",
            "--log",
            "--at",
            "2027-01-11T01:00:00-05:00",
            "--format",
            "json",
        )
        assert code == 0
        data = json.loads(out)
        want = {
            "type": "max-amount",
            "substance": "kratom",
            "amount": "5 g",
            "per": "day",
        }
        assert {k: data["limited_by"][k] for k in want} == want
        # Every kratom dose is an error while on sertraline (an antidepressant).
        assert data["earliest"] is None
        assert data["amount_at_earliest"] is None
        assert data["earliest_limited_by"]["b"] == "antidepressant"

    def test_plan_doses_to_come_count(self) -> None:
        """Without --log the plan's doses after --at count; with a product, its notes."""
        args = ("allowance", str(EXAMPLES / "reminders.toml"), "--substance", "kratom")
        at = ("--at", "2027-01-06T14:00:00-05:00", "--format", "json")
        code, out = _run(*args, *at, "--product", "green malay")
        assert code == 0
        data = json.loads(out)
        assert data["product"] == "Green Malay"
        assert data["allowed_now"] is True
        assert [n["code"] for n in data["notes"]] == ["early-redose"]
        code, out = _run(*args, *at, "--product", "Red Bali")
        assert code == 2

    def test_text_says_what_binds_now_and_what_sets_earliest(self) -> None:
        """Text names the rule binding now and the one setting earliest, in words."""
        code, out = _run(
            "allowance",
            str(EXAMPLES / "wellness.toml"),
            "--substance",
            "kratom",
            "--at",
            "2027-01-05T17:00:00-05:00",
        )
        assert code == 0
        assert "limited now by min-interval (substance kratom, interval 4 h)" in out
        assert "earliest dose allowed: 2027-01-06 00:00 EST" in out
        assert "earliest set by " in out
        assert "MinInterval(" not in out


class TestHorizon:
    def test_horizon_bounds_the_search_and_the_words(self) -> None:
        """--horizon sets how far earliest is looked for; outside 1..36525 days is refused."""
        args = (
            "allowance",
            str(EXAMPLES / "medications.toml"),
            "--substance",
            "kratom",
        )
        at = ("--log", "--at", "2027-01-11T01:00:00-05:00")
        code, out = _run(*args, *at, "--horizon", "1")
        assert code == 0
        assert "earliest dose allowed: none within 1 day\n" in out
        code, out = _run(*args, *at, "--horizon", "36525")
        assert code == 0
        assert "none within 36525 days" in out
        for bad in ("0", "36526", "9" * 40):
            code, _ = _run(*args, *at, "--horizon", bad)
            assert code == 2
