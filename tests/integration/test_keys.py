"""Keys: recognisable prefixes, stored only as SHA-256 hashes, listed, revoked and rotated."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from sqlalchemy import Engine, select

from ils_intake.db.engine import transaction
from ils_intake.db.tables import api_key
from ils_intake.keys import service as keys_service
from ils_intake.keys.tokens import KeyKind
from ils_intake.problems import BadRequest, NotFound, Unauthorized
from tests.builders import Tenant


def test_keys_carry_their_kind_prefix(tenant: Tenant) -> None:
    assert tenant.ils_key.startswith("ils_")
    assert tenant.standard_key.startswith("fk_")
    assert len(tenant.ils_key) >= 40


def test_only_the_sha256_hash_is_stored(engine: Engine, tenant: Tenant) -> None:
    with engine.connect() as conn:
        rows = conn.execute(select(api_key)).all()
    stored = " ".join(str(value) for row in rows for value in row)
    assert tenant.ils_key not in stored
    assert tenant.ils_key[4:] not in stored
    digest = hashlib.sha256(tenant.ils_key.encode()).hexdigest()
    assert digest in {row.key_hash for row in rows}


def test_each_key_is_unique(engine: Engine, tenant: Tenant) -> None:
    with transaction(engine) as conn:
        keys = {
            keys_service.create_key(
                conn, kind=KeyKind.STANDARD, organization_id=tenant.organization_id
            ).key
            for _ in range(20)
        }
    assert len(keys) == 20


def test_ils_key_needs_a_vendor(engine: Engine, tenant: Tenant) -> None:
    with pytest.raises(BadRequest), transaction(engine) as conn:
        keys_service.create_key(conn, kind=KeyKind.ILS, organization_id=tenant.organization_id)


def test_standard_key_takes_no_vendor_or_properties(engine: Engine, tenant: Tenant) -> None:
    with pytest.raises(BadRequest), transaction(engine) as conn:
        keys_service.create_key(
            conn, kind=KeyKind.STANDARD, organization_id=tenant.organization_id, vendor="Zillow"
        )


def test_ils_key_cannot_be_granted_another_organizations_property(
    engine: Engine, tenant: Tenant
) -> None:
    with pytest.raises(NotFound), transaction(engine) as conn:
        keys_service.create_key(
            conn,
            kind=KeyKind.ILS,
            organization_id=tenant.organization_id,
            vendor="Zillow",
            property_ids=[tenant.foreign_property_id],
        )


def test_key_for_unknown_organization_is_refused(engine: Engine) -> None:
    with pytest.raises(NotFound), transaction(engine) as conn:
        keys_service.create_key(
            conn, kind=KeyKind.STANDARD, organization_id="00000000-0000-4000-8000-000000000000"
        )


def test_list_shows_status_and_grant_never_the_key(engine: Engine, tenant: Tenant) -> None:
    with transaction(engine) as conn:
        keys_service.revoke_key(conn, tenant.standard_key_id)
        listed = {k["id"]: k for k in keys_service.list_keys(conn)}
    assert listed[tenant.standard_key_id]["status"] == "revoked"
    assert listed[tenant.ils_key_id]["status"] == "active"
    assert listed[tenant.ils_key_id]["properties"] == "all"
    scoped = next(k for k in listed.values() if k["vendor"] == "Apartments.com")
    assert scoped["properties"] == [tenant.property_id]
    assert tenant.ils_key not in str(listed)
    assert listed[tenant.ils_key_id]["prefix"] == tenant.ils_key[:8]


def test_rotation_marks_the_old_key_rotating(engine: Engine, tenant: Tenant) -> None:
    with transaction(engine) as conn:
        new = keys_service.rotate_key(conn, tenant.ils_key_id)
        listed = {k["id"]: k for k in keys_service.list_keys(conn)}
    old = listed[tenant.ils_key_id]
    assert old["status"] == "rotating"
    assert old["replacedById"] == new.id
    assert timedelta(hours=23) < old["expiresAt"] - old["createdAt"] < timedelta(hours=25)


def test_a_rotated_or_revoked_key_cannot_rotate_again(engine: Engine, tenant: Tenant) -> None:
    with transaction(engine) as conn:
        keys_service.rotate_key(conn, tenant.ils_key_id)
    with pytest.raises(BadRequest), transaction(engine) as conn:
        keys_service.rotate_key(conn, tenant.ils_key_id)
    with transaction(engine) as conn:
        keys_service.revoke_key(conn, tenant.standard_key_id)
    with pytest.raises(BadRequest), transaction(engine) as conn:
        keys_service.rotate_key(conn, tenant.standard_key_id)


def test_authenticate_refuses_the_wrong_kind(engine: Engine, tenant: Tenant) -> None:
    with engine.connect() as conn:
        assert keys_service.authenticate(conn, tenant.ils_key, kind=KeyKind.ILS).vendor == "Zillow"
        with pytest.raises(Unauthorized):
            keys_service.authenticate(conn, tenant.ils_key, kind=KeyKind.STANDARD)
        with pytest.raises(Unauthorized):
            keys_service.authenticate(conn, tenant.standard_key, kind=KeyKind.ILS)
