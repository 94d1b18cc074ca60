"""Tests that pickled objects keep working in a process with other string hashes.

Objects are built and pickled (every protocol, 0 to 5) in a process with
``PYTHONHASHSEED=1``, then unpickled in a process with ``PYTHONHASHSEED=2``
and compared, by equality and by hash, with the same objects built fresh
there. A hash cached before pickling would travel with the object and no
longer agree with a fresh build, so sets and dict keys would break.
"""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from regimen import (
    Break,
    Bundle,
    Dose,
    DoseEvent,
    Entry,
    Interaction,
    MaxAmount,
    MinInterval,
    Plan,
    Product,
    Profile,
    Quantity,
    Schedule,
    Severity,
    Substance,
    Timeline,
)

ROOT = Path(__file__).resolve().parent.parent
PROTOCOLS = range(pickle.HIGHEST_PROTOCOL + 1)
NAMES = (
    "substance",
    "product",
    "dose",
    "entry",
    "plan",
    "profile",
    "bundle",
    "event",
    "timeline",
    "quantity",
    "rule",
    "interaction",
)


def build() -> dict[str, Any]:
    """Build one object of each kind, the same in every process."""
    kratom = Substance("kratom", classes={"botanical"}, aliases=["Mitragyna speciosa"])
    kefir = Substance("kefir", classes={"probiotic"})
    sugar = Substance("sugar", classes={"added sugar"})
    powder = Product(
        "Maeng Da",
        contents={kratom: "1 g"},
        per="1 g",
        equivalents=[("1 tsp", "2 g")],
        tags={"powder", "white"},
    )
    milk = Product(
        "milk kefir",
        contents={kefir: "1 fl oz", sugar: "1.5 g"},
        per="1 fl oz",
        tags={"lactose"},
    )
    dose = Dose(milk, "6 fl oz", meal="with")
    entry = Entry(dose, Schedule.weekly(["MO", "FR"], "08:00", "20:00"))
    plan = Plan(
        "wellness",
        timezone="America/New_York",
        start=date(2027, 1, 1),
        end=date(2027, 1, 14),
        entries=[entry, Entry(Dose(powder, "1/2 tsp"), Schedule.daily("09:00"))],
        breaks=[Break(date(2027, 1, 5), date(2027, 1, 6), substances=["kratom"])],
    )
    profile = Profile(
        rules=[
            MaxAmount("kratom", "8 g", per="day"),
            MinInterval("botanical", timedelta(hours=4)),
        ],
        interactions=[
            Interaction(
                "kratom",
                "alcohol",
                severity=Severity.ERROR,
                within=timedelta(hours=6),
                note="do not combine",
            )
        ],
        medications=["sertraline"],
        day_start=time(4),
    )
    event = DoseEvent(datetime(2027, 1, 4, 8, tzinfo=ZoneInfo("Europe/Berlin")), dose)
    return {
        "substance": kratom,
        "product": milk,
        "dose": dose,
        "entry": entry,
        "plan": plan,
        "profile": profile,
        "bundle": Bundle(plan, profile),
        "event": event,
        "timeline": Timeline([event, *plan.timeline()]),
        "quantity": Quantity("1.5", "g"),
        "rule": profile.rules[0],
        "interaction": profile.interactions[0],
    }


def _dump() -> None:
    """In the first process: hash everything (filling any cache), then pickle."""
    objects = build()
    for value in objects.values():
        hash(value)
        hash(getattr(value, "contents", None))
    blobs = {}
    for name, value in objects.items():
        for protocol in PROTOCOLS:
            try:
                blobs[f"{name} {protocol}"] = pickle.dumps(value, protocol).hex()
            except TypeError as exc:
                blobs[f"{name} {protocol}"] = f"cannot pickle: {exc}"
    print(json.dumps(blobs))


def _load(blobs: dict[str, str]) -> None:
    """In the second process: unpickle and compare with a fresh build."""
    fresh = build()
    out: dict[str, list[bool] | str] = {}
    for key, blob in blobs.items():
        if blob.startswith("cannot pickle"):
            out[key] = blob
            continue
        value = pickle.loads(bytes.fromhex(blob))
        expected = fresh[key.split()[0]]
        as_key = value in {expected} and {value: 1}.get(expected) == 1
        out[key] = [value == expected, hash(value) == hash(expected), as_key]
    print(json.dumps(out))


def _run(seed: int, code: str, stdin: str = "") -> str:
    env = {**os.environ, "PYTHONHASHSEED": str(seed)}
    done = subprocess.run(
        [sys.executable, "-c", code],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def across_processes() -> dict[str, list[bool] | str]:
    """Pickle in a process with one hash seed, unpickle in one with another."""
    prefix = "import json, sys; from tests import test_pickle_hash as t; "
    blobs = _run(1, prefix + "t._dump()")
    result: dict[str, list[bool] | str] = json.loads(
        _run(2, prefix + "t._load(json.loads(sys.stdin.read()))", stdin=blobs)
    )
    return result


class TestPickle:
    def test_the_two_processes_hash_strings_differently(self) -> None:
        """The seeds used really give different string hashes (else the test proves nothing)."""
        code = "print(hash('kratom'))"
        assert _run(1, code) != _run(2, code)

    @pytest.mark.parametrize("protocol", PROTOCOLS)
    @pytest.mark.parametrize("name", NAMES)
    def test_unpickled_objects_hash_like_fresh_ones(
        self, across_processes: dict[str, list[bool] | str], name: str, protocol: int
    ) -> None:
        """Unpickled under another hash seed, an object equals and hashes like a fresh build."""
        found = across_processes[f"{name} {protocol}"]
        assert not isinstance(found, str), found
        equal, same_hash, usable_as_key = found
        assert equal
        assert same_hash
        assert usable_as_key

    @pytest.mark.parametrize("protocol", PROTOCOLS)
    def test_every_protocol_round_trips_in_process(self, protocol: int) -> None:
        """Each object survives every pickle protocol in this process too."""
        for name, value in build().items():
            back = pickle.loads(pickle.dumps(value, protocol))
            assert back == value, name
            assert hash(back) == hash(value), name
