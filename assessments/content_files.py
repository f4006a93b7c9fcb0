"""Content as files: the ladder and the question bank as human-readable YAML.

A content bundle is plain data: ``{"levels": [...], "areas": [...]}`` where each area
has the shape described in ``fixtures/content/SCHEMA.md``. This module only reads and writes files;
validation lives in ``content_validation`` and the database side in ``content_sync``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from django.conf import settings

Bundle = dict[str, Any]

DEFAULT_CONTENT_DIR = Path(settings.BASE_DIR) / "fixtures" / "content"


class ContentFileError(Exception):
    """A content file is missing or is not valid YAML of the expected shape."""


def _load_yaml(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except FileNotFoundError as exc:
        raise ContentFileError(f"{path}: file not found") from exc
    except yaml.YAMLError as exc:
        raise ContentFileError(f"{path}: not valid YAML: {exc}") from exc


def area_filename(area: dict) -> str:
    return f"{int(area.get('order', 0)):02d}-{area['slug']}.yaml"


def bundle_read(directory: Path = DEFAULT_CONTENT_DIR) -> Bundle:
    ladder = _load_yaml(directory / "levels.yaml")
    if not isinstance(ladder, dict) or not isinstance(ladder.get("levels"), list):
        raise ContentFileError(f"{directory / 'levels.yaml'}: expected a mapping with a 'levels' list")
    areas = []
    for path in sorted((directory / "areas").glob("*.yaml")):
        area = _load_yaml(path)
        if not isinstance(area, dict) or "slug" not in area:
            raise ContentFileError(f"{path}: expected a mapping with an area 'slug'")
        areas.append(area)
    return {"levels": ladder["levels"], "areas": areas}


class _Dumper(yaml.SafeDumper):
    """Block style for structure, flow style for the small choice mappings, readable in a diff."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def yaml_dump(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=110, default_flow_style=False)


def bundle_write(bundle: Bundle, directory: Path) -> list[Path]:
    """Write a bundle as levels.yaml plus one file per area; returns the files written."""
    (directory / "areas").mkdir(parents=True, exist_ok=True)
    written = [directory / "levels.yaml"]
    written[0].write_text(yaml_dump({"levels": bundle["levels"]}), encoding="utf-8")
    keep = set()
    for area in bundle["areas"]:
        path = directory / "areas" / area_filename(area)
        path.write_text(yaml_dump(area), encoding="utf-8")
        keep.add(path)
        written.append(path)
    # An export is the whole truth: area files that no longer correspond to an area go.
    for stale in (directory / "areas").glob("*.yaml"):
        if stale not in keep:
            stale.unlink()
    return written
