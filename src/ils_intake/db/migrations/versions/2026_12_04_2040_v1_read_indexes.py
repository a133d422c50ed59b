"""Indexes for the organization API's reads of prospects.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-04 20:40:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("prospect") as batch_op:
        batch_op.create_index("ix_prospect_property_id_created_at", ["property_id", "created_at"])
        batch_op.create_index(
            "ix_prospect_organization_id_source_created_at",
            ["organization_id", "source", "created_at"],
        )
        batch_op.create_index(
            "ix_prospect_organization_id_last_name", ["organization_id", "last_name"]
        )


def downgrade() -> None:
    with op.batch_alter_table("prospect") as batch_op:
        batch_op.drop_index("ix_prospect_organization_id_last_name")
        batch_op.drop_index("ix_prospect_organization_id_source_created_at")
        batch_op.drop_index("ix_prospect_property_id_created_at")
