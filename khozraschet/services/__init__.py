"""Writes of section self-financing, by feature: keyword-only, atomic, checked."""
