"""Supply in plan files, summaries and the ``regimen supply`` command."""

from __future__ import annotations

import io
import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given

from regimen import (
    Bundle,
    LoadError,
    Quantity,
    Refill,
    StockCount,
    dumps,
    loads,
    summarize,
)
from regimen import strategies as rst
from regimen._cli import main

BERLIN = ZoneInfo("Europe/Berlin")

FILE = """
[[substances]]
name = "kratom"

[[products]]
name = "Maeng Da"
per = "1 g"
package = "250 g"
contents = { kratom = "1 g" }
equivalents = [["1 tsp", "2 g"]]

[plan]
name = "p"
timezone = "Europe/Berlin"
start = 2027-01-01
end = 2027-01-31

[[plan.entries]]
dose = { product = "Maeng Da", amount = "1 tsp" }
schedule = { kind = "daily", times = ["08:00", "20:00"] }

[[log]]
at = 2027-01-01T07:00:00
stock = { product = "Maeng Da", amount = "20 tsp" }

[[log]]
at = 2027-01-01T08:10:00
dose = { product = "Maeng Da", amount = "1 tsp" }

[[log]]
at = 2027-01-02T10:00:00
refill = { product = "Maeng Da", amount = "250 g" }
note = "pharmacy"
"""


def run(*args: str, stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), stdout=out, stderr=err, stdin=io.StringIO(stdin))
    return code, out.getvalue(), err.getvalue()


class TestFiles:
    def test_refills_and_counts_load_in_the_plan_zone(self) -> None:
        """Log entries with refill and stock become records; times take the plan's zone."""
        bundle = loads(FILE)
        (powder,) = bundle.products
        assert powder.package == Quantity(250, "g")
        assert bundle.stock_counts == (
            StockCount(powder, "20 tsp", datetime(2027, 1, 1, 7, tzinfo=BERLIN)),
        )
        assert bundle.refills == (
            Refill(
                powder,
                "250 g",
                datetime(2027, 1, 2, 10, tzinfo=BERLIN),
                note="pharmacy",
            ),
        )
        assert bundle.log is not None
        assert len(bundle.log) == 1

    def test_round_trip(self) -> None:
        """Dumps then loads gives an equal bundle, in TOML and JSON."""
        bundle = loads(FILE)
        assert loads(dumps(bundle)) == bundle
        assert loads(dumps(bundle, format="json"), format="json") == bundle

    @pytest.mark.parametrize(
        ("entry", "problem"),
        [
            (
                'refill = { product = "Maeng Da" }',
                "log[0].refill.amount: required key missing",
            ),
            (
                'refill = { product = "Maeng Dah", amount = "1 g" }',
                "log[0].refill.product: unknown product 'Maeng Dah'; did you mean 'Maeng Da'?",
            ),
            (
                'stock = { product = "Maeng Da", amount = "3 capsule" }',
                "log[0].stock: StockCount.amount: 3 capsules of 'Maeng Da' cannot be measured",
            ),
            (
                'refill = { product = "Maeng Da", amount = "0 g" }',
                "log[0].refill: Refill.amount must be more than zero (got 0 g)",
            ),
            (
                'refill = { product = "Maeng Da", amount = "1 g" }\nas_needed = true',
                "log[0].as_needed: applies to a dose, not a refill",
            ),
            (
                'note = "nothing"',
                "log[0]: give exactly one of dose, refill or stock (got none)",
            ),
            (
                'dose = { product = "Maeng Da", amount = "1 g" }\n'
                'stock = { product = "Maeng Da", amount = "1 g" }',
                "log[0]: give exactly one of dose, refill or stock (got dose, stock)",
            ),
        ],
    )
    def test_problems_name_their_path(self, entry: str, problem: str) -> None:
        """Every problem of a refill or count is reported with its path."""
        head = FILE[: FILE.index("[[log]]")]
        with pytest.raises(LoadError) as caught:
            loads(head + f"[[log]]\nat = 2027-01-01T07:00:00\n{entry}\n")
        assert any(p.startswith(problem) for p in caught.value.problems), (
            caught.value.problems
        )

    def test_package_in_wrong_units(self) -> None:
        """A package the product cannot be measured in is a problem of the product."""
        text = FILE.replace('package = "250 g"', 'package = "30 capsule"')
        with pytest.raises(LoadError, match=r"products\[0\]: Product.package 30"):
            loads(text)

    @given(rst.bundles(with_log=True))
    def test_drawn_bundles_round_trip(self, bundle: Bundle) -> None:
        """Bundles with refills and stock counts load back equal."""
        assert loads(dumps(bundle)) == bundle


class TestSummaryAndCommand:
    def test_summary_carries_supply(self) -> None:
        """summarize(stock=...) adds a supply section as of its start, or at."""
        bundle = loads(FILE)
        assert bundle.plan is not None
        summary = summarize(
            bundle.plan,
            stock=bundle.stock_counts,
            refills=bundle.refills,
            log=bundle.log,
            at=datetime(2027, 1, 5, 12, tzinfo=BERLIN),
        )
        assert summary.supply is not None
        (p,) = summary.supply.products.values()
        # 40 g counted, 2 g logged, 250 g refilled.
        assert p.on_hand == Quantity(288, "g")
        assert "Supply as of 2027-01-05 12:00 CET" in summary.to_text()
        assert "## Supply" in summary.to_markdown()
        assert summary.to_dict()["supply"] == summary.supply.to_dict()
        plain = summarize(bundle.plan, stock={p.product: "10 g"})
        assert plain.supply is not None
        assert plain.supply.at == datetime(2027, 1, 1, tzinfo=BERLIN)
        assert summarize(bundle.plan).supply is None

    def test_supply_command(self) -> None:
        """Regimen supply prints the table, Markdown or JSON."""
        code, out, err = run("supply", "-", "--at", "2027-01-05T12:00", stdin=FILE)
        assert (code, err) == (0, "")
        assert out.splitlines()[0] == "Supply as of 2027-01-05 12:00 CET, to 2027-01-31"
        row = ["Maeng", "Da", "288", "g", "4", "g", "-", "-", "0"]
        assert out.splitlines()[2].split() == row
        code, out, _ = run(
            "supply",
            "-",
            "--at",
            "2027-01-05T12:00",
            "--until",
            "2027-06-30",
            "--lead-time",
            "5 d",
            "--format",
            "json",
            stdin=FILE,
        )
        data = json.loads(out)
        (p,) = data["products"]
        # The plan ends on Jan 31: 1 + 26 x 2 doses of 2 g after at, 106 g of 288 g.
        assert (p["runs_out"], p["needed"], p["per_day"]) == (None, "106 g", "4 g")
        assert (data["until"], data["lead_time"]) == ("2027-06-30", "120 h")
        code, out, _ = run("supply", "-", "--format", "md", stdin=FILE)
        assert code == 0
        assert out.startswith("## Supply")

    def test_summary_command_adds_supply(self) -> None:
        """The summary command ends with the supply table for a file with stock counts."""
        code, out, err = run("summary", "-", "--at", "2027-01-05T12:00", stdin=FILE)
        assert (code, err) == (0, "")
        assert "Supply as of 2027-01-05 12:00 CET, to 2027-01-31" in out
        code, out, _ = run(
            "summary", "-", "--format", "json", "--at", "2027-01-05T12:00", stdin=FILE
        )
        assert json.loads(out)["supply"]["products"][0]["on_hand"] == "288 g"

    def test_supply_command_needs_a_plan(self) -> None:
        """A file without a plan is refused with exit status 2."""
        head = FILE[: FILE.index("[plan]")]
        code, out, err = run("supply", "-", stdin=head)
        assert (code, out) == (2, "")
        assert "supply needs a file with a plan" in err
