"""Wire models of properties, floor plans and units, as the organization API returns them."""

from __future__ import annotations

from pydantic import BaseModel


class Property(BaseModel):
    id: str
    organizationId: str
    name: str
    timezone: str
    addressLine1: str | None
    city: str | None
    state: str | None
    postalCode: str | None
    createdAt: str
    updatedAt: str


class FloorPlan(BaseModel):
    id: str
    propertyId: str
    name: str
    beds: int | None
    baths: float | None
    createdAt: str
    updatedAt: str


class Unit(BaseModel):
    id: str
    propertyId: str
    floorPlanId: str | None
    number: str
    createdAt: str
    updatedAt: str
