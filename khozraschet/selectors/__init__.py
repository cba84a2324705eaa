"""Reads of section self-financing, by feature, scoped to the user."""
