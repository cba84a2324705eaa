"""The pages of section self-financing, by feature (one module each)."""
