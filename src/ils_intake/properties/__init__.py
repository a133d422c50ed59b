"""Properties, their floor plans and units: where leads are sent."""
