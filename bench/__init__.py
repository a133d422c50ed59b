"""Load benchmark of the ILS intake against a raw Starlette + asyncpg baseline (`make bench`)."""
