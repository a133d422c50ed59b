"""Strict JSON body decoding and the content-type rule."""

from __future__ import annotations

import pytest

from ils_intake import jsonbody
from ils_intake.problems import BadRequest, InvalidPayload, UnsupportedMediaType


@pytest.mark.parametrize(
    "content_type",
    [
        "application/json",
        "application/json; charset=utf-8",
        "Application/JSON;charset=UTF-8",
        'application/json; charset="utf-8"',
    ],
)
def test_json_content_types_are_accepted(content_type: str) -> None:
    jsonbody.require_json(content_type)


@pytest.mark.parametrize(
    "content_type",
    [
        None,
        "",
        "text/plain",
        "application/jsonx",
        "application/json; charset=utf-16",
        "multipart/form-data",
    ],
)
def test_other_content_types_are_415(content_type: str | None) -> None:
    with pytest.raises(UnsupportedMediaType):
        jsonbody.require_json(content_type)


def test_repeated_key_names_the_field() -> None:
    with pytest.raises(InvalidPayload) as caught:
        jsonbody.decode_object(b'{"a": 1, "b": 2, "a": 3}')
    assert caught.value.errors is not None
    assert caught.value.errors[0].field == "a"


def test_repeated_key_in_a_nested_object_is_refused_too() -> None:
    with pytest.raises(InvalidPayload):
        jsonbody.decode_object(b'{"a": {"x": 1, "x": 2}}')


@pytest.mark.parametrize(
    "body", [b"NaN", b'{"a": NaN}', b'{"a": -Infinity}', b"[]", b"1", b'{"a": 1', b"\xff"]
)
def test_non_objects_and_non_json_are_400(body: bytes) -> None:
    with pytest.raises(BadRequest):
        jsonbody.decode_object(body)


def test_an_object_decodes() -> None:
    assert jsonbody.decode_object('{"name": "José"}'.encode()) == {"name": "José"}
