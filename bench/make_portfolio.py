"""Write a large portfolio file for measuring `ils-intake import`.

    python bench/make_portfolio.py 100000 /tmp/portfolio.csv   # or .json

Units are spread over properties of 1,000 units, three floor plans each; ids are derived from a
seed so two runs write the same file (and a second import finds every row unchanged).
"""

from __future__ import annotations

import csv
import json
import sys
import uuid
from pathlib import Path
from typing import Any

UNITS_PER_PROPERTY = 1000
PLANS_PER_PROPERTY = 3
NAMESPACE = uuid.UUID("6f1c2b9e-3d4a-4e5f-8a7b-1c2d3e4f5a6b")


def _id(*parts: object) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(map(str, parts))))


def portfolio(units: int) -> dict[str, list[dict[str, Any]]]:
    properties = -(-units // UNITS_PER_PROPERTY)
    doc: dict[str, list[dict[str, Any]]] = {"properties": [], "floorPlans": [], "units": []}
    for p in range(properties):
        doc["properties"].append(
            {"id": _id("p", p), "name": f"Property {p}", "timezone": "America/New_York"}
        )
        for f in range(PLANS_PER_PROPERTY):
            doc["floorPlans"].append(
                {
                    "id": _id("f", p, f),
                    "propertyId": _id("p", p),
                    "name": f"{f + 1} bed",
                    "beds": f + 1,
                    "baths": 1 + f / 2,
                }
            )
    for u in range(units):
        p = u // UNITS_PER_PROPERTY
        doc["units"].append(
            {
                "id": _id("u", u),
                "propertyId": _id("p", p),
                "floorPlanId": _id("f", p, u % PLANS_PER_PROPERTY),
                "number": f"{u % UNITS_PER_PROPERTY + 1}",
            }
        )
    return doc


def write(doc: dict[str, list[dict[str, Any]]], path: Path) -> None:
    if path.suffix == ".json":
        path.write_text(json.dumps(doc))
        return
    kinds = {"properties": "property", "floorPlans": "floorPlan", "units": "unit"}
    columns = [
        "type",
        "id",
        "propertyId",
        "floorPlanId",
        "name",
        "timezone",
        "beds",
        "baths",
        "number",
    ]
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, columns)
        writer.writeheader()
        for member, rows in doc.items():
            for row in rows:
                writer.writerow({"type": kinds[member], **row})


if __name__ == "__main__":
    write(portfolio(int(sys.argv[1])), Path(sys.argv[2]))
