"""The guides, shipped in the wheel as the package optout.guides_data (see pyproject.toml)."""
