"""The regimen fhir command: import FHIR dosage into a plan file, export a plan as FHIR."""

from __future__ import annotations

import io
import json
from pathlib import Path

from regimen import MaxAmount, load
from regimen._cli import main

PRODUCTS = """version = 1
[[substances]]
name = "magnesium"
[[products]]
name = "magnesium capsules"
contents = { magnesium = "200 mg" }
per = "1 capsule"
"""
DOSAGE = {
    "resourceType": "MedicationRequest",
    "dosageInstruction": [
        {
            "timing": {
                "code": {"coding": [{"code": "BID"}]},
                "repeat": {"boundsDuration": {"value": 5, "code": "d"}},
            },
            "doseAndRate": [{"doseQuantity": {"value": 1.0, "code": "{capsule}"}}],
            "maxDosePerPeriod": {
                "numerator": {"value": 2, "code": "{capsule}"},
                "denominator": {"value": 24, "code": "h"},
            },
        }
    ],
}


def run(*args: str, stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), stdout=out, stderr=err, stdin=io.StringIO(stdin))
    return code, out.getvalue(), err.getvalue()


def test_import_writes_a_plan_file_and_says_its_assumptions(tmp_path: Path) -> None:
    """A MedicationRequest becomes a checked plan file; assumptions go to standard error."""
    products = tmp_path / "products.toml"
    products.write_text(PRODUCTS)
    dosage = tmp_path / "dosage.json"
    dosage.write_text(json.dumps(DOSAGE))
    plan_file = tmp_path / "plan.toml"
    code, _, err = run(
        "fhir", "import", str(dosage), "--with", str(products),
        "--product", "magnesium capsules", "--timezone", "Europe/Paris",
        "--from", "2027-05-01", "-o", str(plan_file),
    )  # fmt: skip
    assert code == 0, err
    assert (
        err
        == "assumed: timing.code BID read as 08:00 and 20:00 (pass code_times={'BID': ...} to change it)\n"
    )
    bundle = load(plan_file)
    assert bundle.plan is not None
    assert bundle.profile is not None
    assert len(bundle.plan.timeline()) == 10
    assert [
        r.to_table()["amount"] for r in bundle.profile.rules if isinstance(r, MaxAmount)
    ] == ["400 mg"]
    code, out, _ = run("check", str(plan_file))
    assert (code, out) == (0, "no findings\n")


def test_export_reads_back_through_import(tmp_path: Path) -> None:
    """A plan file exported with fhir export and imported again gives the same dose events."""
    products = tmp_path / "products.toml"
    products.write_text(PRODUCTS)
    dosage = tmp_path / "dosage.json"
    dosage.write_text(json.dumps(DOSAGE))
    first = tmp_path / "first.toml"
    assert run("fhir", "import", str(dosage), "--with", str(products), "--product",
               "magnesium capsules", "--timezone", "Europe/Paris", "--from",
               "2027-05-01", "-o", str(first))[0] == 0  # fmt: skip
    code, out, err = run("fhir", "export", str(first))
    assert code == 0, err
    again = tmp_path / "again.json"
    again.write_text(out)
    second = tmp_path / "second.toml"
    assert run("fhir", "import", str(again), "--with", str(first), "--product",
               "magnesium capsules", "-o", str(second))[0] == 0  # fmt: skip
    one, two = load(first).plan, load(second).plan
    assert one is not None
    assert two is not None
    assert [(e.at, e.amount) for e in one.timeline()] == [
        (e.at, e.amount) for e in two.timeline()
    ]


def test_bad_input_is_one_line_and_exit_2(tmp_path: Path) -> None:
    """Unknown products, bad JSON and unreadable FHIR exit 2 with the reason, never a traceback."""
    products = tmp_path / "products.toml"
    products.write_text(PRODUCTS)
    bad = tmp_path / "bad.json"
    bad.write_text(
        '{"timing": {"repeat": {"frequency": 1, "period": 8, "periodUnit": "hr"}}}'
    )
    code, _, err = run(
        "fhir", "import", str(bad), "--with", str(products), "--product", "x"
    )
    assert code == 2
    assert "--product 'x' is not a product" in err
    code, _, err = run("fhir", "import", str(bad), "--with", str(products), "--product",
                       "magnesium capsules", "--timezone", "UTC")  # fmt: skip
    assert code == 2
    assert "dosage.timing.repeat.periodUnit: unknown unit 'hr' — FHIR uses 'h'" in err
    bad.write_text("{not json")
    code, _, err = run("fhir", "import", str(bad), "--with", str(products), "--product",
                       "magnesium capsules", "--timezone", "UTC")  # fmt: skip
    assert code == 2
    assert "not valid JSON" in err
    assert "Traceback" not in err


def test_export_writes_r5_with_fhir_version(tmp_path: Path) -> None:
    """--fhir-version R5 writes maxDosePerPeriod as a list; the default stays R4."""
    products = tmp_path / "products.toml"
    products.write_text(PRODUCTS)
    dosage = tmp_path / "dosage.json"
    dosage.write_text(json.dumps(DOSAGE))
    plan_file = tmp_path / "plan.toml"
    assert run("fhir", "import", str(dosage), "--with", str(products), "--product",
               "magnesium capsules", "--timezone", "Europe/Paris", "--from",
               "2027-05-01", "-o", str(plan_file))[0] == 0  # fmt: skip
    code, out, err = run("fhir", "export", str(plan_file), "--fhir-version", "R5")
    assert code == 0, err
    (r5,) = json.loads(out)
    assert isinstance(r5["maxDosePerPeriod"], list)
    code, out, err = run("fhir", "export", str(plan_file))
    assert code == 0, err
    (r4,) = json.loads(out)
    assert r4["maxDosePerPeriod"] == r5["maxDosePerPeriod"][0]
    code, _, err = run("fhir", "export", str(plan_file), "--fhir-version", "R6")
    assert code == 2
    assert "invalid choice: 'R6'" in err
