"""intake replay: link a replayed submission to the entry it ran again

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04 21:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("intake_log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("replay_of", sa.String(length=36), nullable=True))
        batch_op.create_index(batch_op.f("ix_intake_log_replay_of"), ["replay_of"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_intake_log_replay_of_intake_log"), "intake_log", ["replay_of"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("intake_log", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_intake_log_replay_of_intake_log"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_intake_log_replay_of"))
        batch_op.drop_column("replay_of")
