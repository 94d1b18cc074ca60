"""Files that are only type-checked (by mypy and pyright), never run as tests."""
