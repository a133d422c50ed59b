"""Organization onboarding rules."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Connection

from ils_intake.db.types import utcnow
from ils_intake.organizations import repository
from ils_intake.problems import BadRequest


def create_organization(
    conn: Connection, name: str, *, organization_id: str | None = None
) -> dict[str, Any]:
    name = name.strip()
    if not 1 <= len(name) <= 200:
        raise BadRequest("an organization name is 1-200 characters")
    values = {
        "id": organization_id or str(uuid.uuid4()),
        "name": name,
        "created_at": utcnow(),
    }
    repository.insert_organization(conn, values)
    return values


def list_organizations(conn: Connection) -> list[dict[str, Any]]:
    return [dict(row._mapping) for row in repository.list_organizations(conn)]
