class IdConverter:
    """A database id: digits that fit a 64-bit integer, so an absurd id is a 404, not a database error."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)
