"""Build two products and print what a dose of each contains.

Run with ``python3 dev.py run python examples/first_dose.py``. The amounts
are the ones the source wellness articles describe (about 2 g in a level
teaspoon of kratom powder; commercial milk kefir with added sugar); they are
examples of what the library can express, not recommendations.
"""

from regimen import Dose, Product, Quantity, Substance

kratom = Substance("kratom", classes={"botanical"})
kefir = Substance("kefir", classes={"probiotic"})
sugar = Substance("sugar", classes={"added sugar"})

maeng_da = Product(
    "Maeng Da",
    variant="white",
    form="powder",
    contents={kratom: "1 g"},
    per="1 g",
    equivalents=[("1 tsp", "2 g")],
    notes="source: wellness article on kratom powder (1 tsp is about 2 g)",
)
milk_kefir = Product(
    "milk kefir",
    contents={kefir: "1 fl oz", sugar: "1.5 g"},
    per="1 fl oz",
    tags={"lactose", "added sugar"},
)

for dose in (Dose(maeng_da, "1/2 tsp"), Dose(milk_kefir, "6 fl oz", meal="with")):
    parts = ", ".join(f"{q} of {s.name}" for s, q in dose.contents.items())
    print(f"{dose.amount} of {dose.product.name}: {parts}")
    if dose.amount.unit.dimension.value == "volume":
        print(f"  ({dose.amount.to('ml')})")

print("total liquid:", Quantity.parse("6 fl oz") + Quantity.parse("4 fl oz"))
