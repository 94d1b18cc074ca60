"""HL7 FHIR R4 dosage in and out: plain JSON dicts, no FHIR library needed.

:func:`from_dosage` reads a ``Dosage`` (a list of them, or a
``MedicationRequest``) into a :class:`Reading`: entries for a
:class:`~regimen.Plan`, limits for a :class:`~regimen.Profile`, and every
assumption it made in words. :func:`to_dosage` writes a plan's entries
(and a profile's limits) back as ``Dosage`` JSON. See ``docs/fhir.md``.

>>> from regimen import Product, Substance
>>> from regimen.fhir import from_dosage
>>> tablet = Product("amoxicillin 500 mg", contents={Substance("amoxicillin"): "500 mg"},
...                  per="1 tablet")
>>> reading = from_dosage(
...     {"timing": {"code": {"coding": [{"code": "BID"}]},
...                 "repeat": {"boundsDuration": {"value": 7, "code": "d"}}},
...      "doseAndRate": [{"doseQuantity": {"value": 1, "code": "{tablet}"}}]},
...     product=tablet, timezone="Europe/London", start="2027-03-01")
>>> reading.assumptions
("timing.code BID read as 08:00 and 20:00 (pass code_times={'BID': ...} to change it)",)
>>> len(reading.plan("course").timeline())
14
"""

from __future__ import annotations

from ._fhir_map import Reading, from_dosage
from ._fhir_write import FhirExportError, to_dosage

__all__ = ["FhirExportError", "Reading", "from_dosage", "to_dosage"]

for _public in (FhirExportError, Reading):
    _public.__module__ = __name__  # shown as regimen.fhir.X in errors and reprs
