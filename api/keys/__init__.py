"""/v1/keys: an admin key manages its own account's API keys."""
