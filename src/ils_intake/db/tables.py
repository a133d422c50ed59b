"""The schema, in SQLAlchemy Core: one definition for SQLite and PostgreSQL.

Ids are lower-case canonical UUID strings on both databases, so the API, FQL filters and the
database agree on one spelling. Uniqueness that the domain relies on lives here as indexes.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
)

from ils_intake.db.types import UTCDateTime

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

UUID_LEN = 36


def _id() -> Column[str]:
    return Column("id", String(UUID_LEN), primary_key=True)


organization = Table(
    "organization",
    metadata,
    _id(),
    Column("name", String(200), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

property_ = Table(
    "property",
    metadata,
    _id(),
    Column("organization_id", ForeignKey("organization.id"), nullable=False, index=True),
    Column("name", String(200), nullable=False),
    Column("timezone", String(64), nullable=False),
    Column("address_line1", String(200)),
    Column("city", String(100)),
    Column("state", String(100)),
    Column("postal_code", String(20)),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

floor_plan = Table(
    "floor_plan",
    metadata,
    _id(),
    Column("property_id", ForeignKey("property.id"), nullable=False, index=True),
    Column("name", String(200), nullable=False),
    Column("beds", Integer),
    Column("baths", Numeric(3, 1, asdecimal=False)),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

unit = Table(
    "unit",
    metadata,
    _id(),
    Column("property_id", ForeignKey("property.id"), nullable=False),
    Column("floor_plan_id", ForeignKey("floor_plan.id")),
    Column("number", String(32), nullable=False),
    # lower-cased number: preferredUnit matches case-insensitively through this index
    Column("number_key", String(32), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Index(None, "property_id", "number_key", unique=True),
)

api_key = Table(
    "api_key",
    metadata,
    _id(),
    Column("kind", String(16), nullable=False),  # "ils" | "standard"
    Column("key_hash", String(64), nullable=False, unique=True),  # SHA-256 hex of the whole key
    Column("display_prefix", String(16), nullable=False),  # e.g. "ils_AbCd": recognisable, useless
    Column("organization_id", ForeignKey("organization.id"), nullable=False, index=True),
    Column("vendor", String(100)),  # ILS keys: the lead source copied to each prospect
    # ILS keys: True when granted the whole organization, else only the api_key_property rows
    Column("all_properties", Boolean, nullable=False),
    Column("label", String(200)),
    Column("created_at", UTCDateTime, nullable=False),
    Column("revoked_at", UTCDateTime),
    Column("expires_at", UTCDateTime),
    Column("replaced_by_id", String(UUID_LEN)),
)

api_key_property = Table(
    "api_key_property",
    metadata,
    Column("api_key_id", ForeignKey("api_key.id"), primary_key=True),
    Column("property_id", ForeignKey("property.id"), primary_key=True),
)

prospect = Table(
    "prospect",
    metadata,
    _id(),
    Column("organization_id", ForeignKey("organization.id"), nullable=False),
    Column("property_id", ForeignKey("property.id"), nullable=False),
    Column("first_name", String(100), nullable=False),
    Column("last_name", String(100), nullable=False),
    Column("phone_number", String(64)),  # as sent, trimmed
    Column("phone_e164", String(20)),  # normalised, for duplicate matching
    Column("email_address", String(254)),  # as sent, trimmed
    Column("email_normalized", String(254)),  # trimmed and lower-cased, for matching
    Column("n_beds", Integer),
    Column("n_baths", Numeric(3, 1, asdecimal=False)),
    Column("move_in_date", Date),
    Column("preferred_unit", String(32)),
    Column("unit_id", ForeignKey("unit.id")),
    Column("preferred_floor_plan_id", ForeignKey("floor_plan.id")),
    Column("message", Text),
    Column("source", String(100), nullable=False),
    Column("api_key_id", ForeignKey("api_key.id"), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    # One person per property: the database, not the code, decides what is a duplicate.
    # NULLs are distinct in unique indexes on both databases, so absent contacts never collide.
    Index(None, "property_id", "phone_e164", unique=True),
    Index(None, "property_id", "email_normalized", unique=True),
    # /v1 reads: newest first within an organization, a property, a source; names
    Index(None, "organization_id", "created_at"),
    Index(None, "property_id", "created_at"),
    Index(None, "organization_id", "source", "created_at"),
    Index(None, "organization_id", "last_name"),
)

prospect_activity = Table(
    "prospect_activity",
    metadata,
    _id(),
    Column("prospect_id", ForeignKey("prospect.id"), nullable=False, index=True),
    Column("type", String(32), nullable=False),  # "REINQUIRY"
    Column("source", String(100), nullable=False),
    Column("api_key_id", ForeignKey("api_key.id"), nullable=False),
    Column("payload", JSON, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

intake_log = Table(
    "intake_log",
    metadata,
    _id(),
    Column("api_key_id", ForeignKey("api_key.id"), nullable=False, index=True),
    Column("received_at", UTCDateTime, nullable=False, index=True),
    Column("status", Integer, nullable=False),
    Column("errors", JSON),  # [{"field", "message"}] for a 400
    Column("prospect_id", String(UUID_LEN)),  # created (200) or matched (409)
    Column("content_type", String(200)),
    Column("body", LargeBinary),  # raw bytes as received; NULL when refused unread (413)
    Column("request_id", String(64)),
    # set on a replay (`ils-intake intake replay`): the entry whose submission was run again
    Column("replay_of", ForeignKey("intake_log.id"), index=True),
)

idempotency_record = Table(
    "idempotency_record",
    metadata,
    # The primary key is the race arbiter: the first request to insert (key, Idempotency-Key)
    # owns it, every other one reads what the owner left.
    Column("api_key_id", ForeignKey("api_key.id"), primary_key=True),
    Column("idempotency_key", String(255), primary_key=True),
    Column("fingerprint", String(64), nullable=False),  # SHA-256 hex of the raw body
    Column("created_at", UTCDateTime, nullable=False, index=True),
    Column("status", Integer),  # NULL while the first request is still running
    Column("response_body", LargeBinary),  # the exact bytes answered, replayed as they are
)
