"""The docs name tests as evidence (docs/SECURITY.md above all): every one named must exist."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = re.compile(r"`(tests/[\w/]+\.py)::(\w+)`")


def test_every_test_named_in_the_docs_exists() -> None:
    named = [
        (doc.name, path, name)
        for doc in (ROOT / "docs").glob("*.md")
        for path, name in REFERENCE.findall(doc.read_text())
    ]
    assert len(named) > 20
    missing = [
        f"{doc}: {path}::{name}"
        for doc, path, name in named
        if not (ROOT / path).exists()
        or not re.search(rf"^(async )?def {name}\(", (ROOT / path).read_text(), re.MULTILINE)
    ]
    assert missing == []
