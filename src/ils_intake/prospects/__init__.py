"""Prospects: leads posted by ILS vendors and read by their organization."""
