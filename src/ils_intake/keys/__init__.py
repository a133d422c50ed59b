"""API keys: ILS keys post prospects, standard keys read an organization's data."""
