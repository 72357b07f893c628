"""The `parlance` command line."""
