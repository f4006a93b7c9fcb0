"""What every part of the API shares: errors, paging, levels."""

from __future__ import annotations

from ninja import Field, Schema

from assessments.standing import Placement

MAX_PAGE = 100
MAX_OFFSET = 100_000  # past any real list; keeps the database's OFFSET in range
MAX_ID = 2**63 - 1  # a database id: a larger one is a 422, not a database error


class Error(Schema):
    detail: str | list = Field(description="What was wrong: a sentence, or a list of field errors (422).")


ERRORS = dict.fromkeys((401, 403, 404, 429), Error)


class PageParams(Schema):
    limit: int = Field(20, ge=1, le=MAX_PAGE, description=f"Items per page, 1-{MAX_PAGE}.")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Items to skip.")


class LevelOut(Schema):
    slug: str
    name: str


class Chance(Schema):
    level: LevelOut
    probability: float = Field(description="0-1.")


def level_out(level) -> LevelOut | None:
    return None if level is None else LevelOut(slug=level.slug, name=level.name)


def chances_out(levels, placement: Placement | None) -> list[Chance]:
    if placement is None:
        return []
    return [Chance(level=level_out(lv), probability=p) for lv, p in zip(levels, placement.probabilities, strict=False)]
