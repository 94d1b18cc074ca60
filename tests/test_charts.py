"""Charts (extra ``regimen[plot]``): each renders to a real, non-trivial image; the CLI writes them."""

from __future__ import annotations

import io
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.image import imread
from matplotlib.lines import Line2D

from regimen import (
    Break,
    Dose,
    DoseEvent,
    Entry,
    MaxAmount,
    Plan,
    Product,
    Profile,
    Schedule,
    Substance,
    Timeline,
    adherence,
    exposure,
    load,
)
from regimen._cli import main
from regimen.charts import adherence_chart, exposure_chart, totals_chart

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "coffee.toml"
BERLIN = ZoneInfo("Europe/Berlin")
KRATOM = Substance("kratom")
KEFIR = Substance("kefir")
POWDER = Product("powder", contents={KRATOM: "1 g"}, per="1 g")
MILK = Product("milk kefir", contents={KEFIR: "1 fl oz"}, per="1 fl oz")
PLAN = Plan(
    "p",
    timezone="Europe/Berlin",
    start="2027-03-01",
    end="2027-03-28",
    entries=[
        Entry(Dose(POWDER, "2 g"), Schedule.daily("08:00", "20:00")),
        Entry(Dose(MILK, "6 fl oz"), Schedule.weekly(["MO", "TH"], "09:00")),
    ],
    breaks=[Break("2027-03-10", "2027-03-12", substances=["kratom"])],
)


def ydata(line: Line2D) -> list[float]:
    return [float(v) for v in np.asarray(line.get_ydata()).ravel()]


def legend(ax: Axes) -> list[str]:
    found = ax.get_legend()
    assert found is not None
    return [t.get_text() for t in found.get_texts()]


def pixels(data: bytes) -> tuple[int, int, int, float]:
    """Decode a PNG: (width, height, distinct colours, share of pixels that are not white)."""
    image = imread(io.BytesIO(data), format="png")
    height, width = image.shape[:2]
    flat = [tuple(px) for row in image.tolist() for px in row]
    colours = len(set(flat))
    ink = sum(1 for px in flat if px[:3] != (1.0, 1.0, 1.0)) / len(flat)
    return width, height, colours, ink


def png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=60)
    data = buffer.getvalue()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    return data


def assert_drawn(figure: Figure) -> None:
    """Check that the figure renders to a PNG that decodes, of a fair size, with ink and colour."""
    width, height, colours, ink = pixels(png(figure))
    assert width >= 300
    assert height >= 120
    assert colours > 8
    assert 0.02 < ink < 0.95


class TestTotals:
    def test_renders_a_panel_per_substance_with_limits_and_breaks(self) -> None:
        """Two substances, two panels; the daily limit is a line at its level; the break is shaded."""
        profile = Profile(rules=[MaxAmount("kratom", "3500 mg", per="day")])
        figure = totals_chart(PLAN, profile)
        assert_drawn(figure)
        kratom_ax, kefir_ax = figure.axes
        assert kratom_ax.get_ylabel() == "kratom (g per day)"
        assert kefir_ax.get_ylabel() == "kefir (fl oz per day)"
        levels = [ydata(line)[0] for line in kratom_ax.get_lines()[1:]]
        assert levels == [3.5]  # 3500 mg in the panel's grams
        assert legend(kratom_ax) == ["daily total", "break", "limit 3500 mg per day"]
        # the kratom panel's break is shaded; kefir has no break
        assert "break" not in legend(kefir_ax)

    def test_daily_totals_are_the_plans(self) -> None:
        """The step line holds each day's total: 4 g a day, 0 g on break days."""
        figure = totals_chart(PLAN)
        values = ydata(figure.axes[0].get_lines()[0])
        assert values[:9] == [4.0] * 9
        assert values[9:12] == [0.0, 0.0, 0.0]
        assert len(values) == 28 + 1  # a closing edge draws the last day in full

    def test_repeating_breaks_are_shaded_run_by_run(self) -> None:
        """A weekend break over four weeks is four shaded runs, and no doses on them."""
        plan = Plan(
            "p",
            timezone="Europe/Berlin",
            start="2027-03-01",
            end="2027-03-28",
            entries=[Entry(Dose(POWDER, "2 g"), Schedule.daily("08:00"))],
            breaks=[Break.weekly(["SA", "SU"], start="2027-03-01")],
        )
        ax = totals_chart(plan).axes[0]
        assert len(ax.patches) == 4
        values = ydata(ax.get_lines()[0])
        assert values[:7] == [2.0] * 5 + [0.0, 0.0]

    def test_nothing_to_chart(self) -> None:
        """A log with no doses draws a note instead of failing."""
        figure = totals_chart(Timeline([]))
        assert figure.axes[0].texts[0].get_text() == "no doses to chart"


class TestAdherence:
    def test_renders_a_calendar(self) -> None:
        """Taken, late and missed days are counted in the title and coloured cells drawn."""
        log = Timeline(
            [
                DoseEvent(
                    datetime(2027, 3, d, 8, 5, tzinfo=BERLIN), Dose(POWDER, "2 g")
                )
                for d in range(1, 10)
            ]
            + [
                DoseEvent(
                    datetime(2027, 3, d, 21, 30, tzinfo=BERLIN), Dose(POWDER, "2 g")
                )
                for d in range(1, 5)
            ]
        )
        plan = Plan(
            "p",
            timezone="Europe/Berlin",
            start="2027-03-01",
            end="2027-03-31",
            entries=[Entry(Dose(POWDER, "2 g"), Schedule.daily("08:00", "20:00"))],
        )
        result = adherence(plan, log, at=datetime(2027, 3, 12, 12, tzinfo=BERLIN))
        figure = adherence_chart(result)
        assert_drawn(figure)
        # days 1-4: one on time, one 90 min late; 5-9: the evening missed;
        # 10, 11: both missed; 12: the morning missed, the evening to come;
        # 13: the morning is within the next 24 h, to come
        assert figure.axes[0].get_title() == (
            "missed 8, taken 0, late or early 4, to come 1"
        )


class TestExposure:
    def test_renders_the_estimate_labelled_as_one(self) -> None:
        """The curve, the limit line, and words that say it is a model estimate."""
        caffeine = Substance("caffeine")
        coffee = Product("coffee", contents={caffeine: "95 mg"}, per="1 serving")
        at = datetime(2027, 3, 1, 8, tzinfo=BERLIN)
        log = Timeline(
            [
                DoseEvent(at + timedelta(hours=h), Dose(coffee, "1 serving"))
                for h in (0, 4, 9)
            ]
        )
        series = exposure(
            log, caffeine, half_life="5 h", absorption_half_life="45 min", source="test"
        )
        figure = exposure_chart(series, limit="0.15 g")
        assert_drawn(figure)
        ax = figure.axes[0]
        assert ydata(ax.get_lines()[0]) == list(series.values)
        assert ydata(ax.get_lines()[1])[0] == pytest.approx(150.0)
        words = " ".join(t.get_text() for t in figure.texts)
        assert "model estimate, not a measured level" in words
        assert "source: test" in words
        assert "estimate" in figure.get_suptitle()
        with pytest.raises(ValueError, match="does not convert"):
            exposure_chart(series, limit="2 ml")


class TestCommand:
    @pytest.mark.parametrize("kind", ["totals", "adherence", "exposure"])
    def test_writes_a_png(self, kind: str, tmp_path: Path) -> None:
        """`regimen chart FILE --kind K -o out.png` writes a PNG of the example."""
        out = tmp_path / f"{kind}.png"
        status = main(
            [
                "chart",
                str(EXAMPLE),
                "--kind",
                kind,
                "-o",
                str(out),
                "--at",
                "2027-03-21T20:00",
            ]
        )
        assert status == 0
        width, _, colours, ink = pixels(out.read_bytes())
        assert width > 300
        assert colours > 8
        assert ink > 0.02

    def test_writes_an_svg(self, tmp_path: Path) -> None:
        """An .svg output is SVG text."""
        out = tmp_path / "t.svg"
        assert main(["chart", str(EXAMPLE), "--kind", "totals", "-o", str(out)]) == 0
        assert b"<svg" in out.read_bytes()[:500]

    def test_the_same_chart_twice_is_the_same_bytes(self, tmp_path: Path) -> None:
        """No timestamps in the file: drawing again gives the same bytes."""
        a, b = tmp_path / "a.png", tmp_path / "b.png"
        for out in (a, b):
            main(["chart", str(EXAMPLE), "--kind", "exposure", "-o", str(out)])
        assert a.read_bytes() == b.read_bytes()

    def test_usage_problems(self, tmp_path: Path) -> None:
        """A bad suffix, a missing log or missing parameters: status 2 and a message."""
        err = io.StringIO()
        assert (
            main(["chart", str(EXAMPLE), "--kind", "totals", "-o", "x.gif"], stderr=err)
            == 2
        )
        assert "must end in .png or .svg" in err.getvalue()
        plain = tmp_path / "plain.toml"
        text = EXAMPLE.read_text()
        plain.write_text(
            text[: text.index("\n[[log]]")]
            .replace(
                '[substances.kinetics]\nhalf_life = "5 h"\nabsorption_half_life = "45 min"\n',
                "",
            )
            .replace(
                'source = "illustrative values for this example; use figures from a source you trust"\n\n[[products]]',
                "\n[[products]]",
                1,
            )
        )
        assert load(plain).log is None
        err = io.StringIO()
        assert (
            main(
                ["chart", str(plain), "--kind", "adherence", "-o", "a.png"], stderr=err
            )
            == 2
        )
        assert "needs a file with both a plan and a log" in err.getvalue()
        err = io.StringIO()
        args = [
            "chart",
            str(plain),
            "--kind",
            "exposure",
            "-o",
            "a.png",
            "--substance",
            "tea",
        ]
        assert main(args, stderr=err) == 2
        assert "no substance 'tea'" in err.getvalue()


def test_charts_import_matplotlib_only_when_drawing() -> None:
    """Importing regimen.charts (or the CLI) loads no matplotlib; drawing does."""
    code = (
        "import sys, regimen, regimen.charts, regimen._cli; "
        "print(any(m.split('.')[0] == 'matplotlib' for m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "False"
