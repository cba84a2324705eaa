"""Forms of section self-financing, by feature."""
