"""Text forms take ASCII digits only, as the JSON Schema says (``[0-9]``)."""

from __future__ import annotations

import pytest

from regimen import Quantity, Schedule
from regimen._format import parse_duration

ARABIC_INDIC = "٠١٢٣٤٥٦٧٨٩"


def _arabic(text: str) -> str:
    return text.translate({ord(str(i)): ARABIC_INDIC[i] for i in range(10)})


class TestAsciiDigits:
    @pytest.mark.parametrize("text", ["08:30", "23:59:59"])
    def test_times(self, text: str) -> None:
        """A time of day written with other digits is refused; the ASCII one is read."""
        Schedule.daily(text)
        with pytest.raises(ValueError, match="time of day"):
            Schedule.daily(_arabic(text))

    @pytest.mark.parametrize("text", ["3 g", "1 1/2 tsp", "2.5 g"])
    def test_quantities(self, text: str) -> None:
        """A quantity written with other digits is refused; the ASCII one is read."""
        Quantity.parse(text)
        with pytest.raises(ValueError, match=r"cannot read|unknown unit"):
            Quantity.parse(_arabic(text))

    def test_durations_and_rules(self) -> None:
        """Durations and RRULE numbers take ASCII digits only."""
        parse_duration("1 h", field="every")
        with pytest.raises(ValueError, match="duration"):
            parse_duration(_arabic("1 h"), field="every")
        Schedule.rrule("FREQ=DAILY;INTERVAL=3", "08:00")
        with pytest.raises(ValueError, match="INTERVAL"):
            Schedule.rrule(_arabic("FREQ=DAILY;INTERVAL=3"), "08:00")
        with pytest.raises(ValueError, match="BYMONTHDAY"):
            Schedule.rrule(_arabic("FREQ=MONTHLY;BYMONTHDAY=3"), "08:00")
