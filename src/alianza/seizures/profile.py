"""Declarative mapping profiles: a data file per source says how its columns become canonical
fields (columns → fields, value maps, constants, defaults, date formats, unknown-column policy).

Built-in profiles are the JSON files in ``profiles/``; any other JSON file with the same shape
can be passed by path.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

PROFILES = Path(__file__).parent / "profiles"


class RecordKind(StrEnum):
    EVENT = "event"  # one row per drug item of an event (rows of one event are consecutive)
    AGGREGATE = "aggregate"  # one row per published total (period × dimensions × drug)


class UnknownColumns(StrEnum):
    REJECT = "reject"  # the file is refused (nothing loads) and the report names the column
    IGNORE = "ignore"  # dropped, with a warning per column


class UnknownProfile(LookupError):
    """No built-in profile of that name and no such file."""


class BadProfile(ValueError):
    """A profile file that does not have the expected shape."""


@dataclass(frozen=True)
class Profile:
    name: str
    title: str
    title_es: str
    record: RecordKind
    columns: dict[str, str]  # source column → canonical field
    optional_columns: frozenset[str] = frozenset()
    constants: dict[str, str] = field(default_factory=dict)  # canonical field → fixed value
    defaults: dict[str, str] = field(default_factory=dict)  # canonical field → value if blank
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # field → source → code
    derive: dict[str, dict[str, Any]] = field(default_factory=dict)
    date_formats: tuple[str, ...] = ("%Y-%m-%d",)
    month_formats: tuple[str, ...] = ("%Y-%m",)
    encoding: str = "utf-8-sig"
    delimiter: str = ","
    sheet: str | None = None
    unknown_columns: UnknownColumns = UnknownColumns.REJECT
    list_separator: str = ";"
    decimal_comma: bool = False

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Profile:
        try:
            return cls(
                name=data["name"],
                title=data["title"],
                title_es=data["title_es"],
                record=RecordKind(data["record"]),
                columns=dict(data["columns"]),
                optional_columns=frozenset(data.get("optional_columns", ())),
                constants=dict(data.get("constants", {})),
                defaults=dict(data.get("defaults", {})),
                values={k: dict(v) for k, v in data.get("values", {}).items()},
                derive=dict(data.get("derive", {})),
                date_formats=tuple(data.get("date_formats", ("%Y-%m-%d",))),
                month_formats=tuple(data.get("month_formats", ("%Y-%m",))),
                encoding=data.get("encoding", "utf-8-sig"),
                delimiter=data.get("delimiter", ","),
                sheet=data.get("sheet"),
                unknown_columns=UnknownColumns(data.get("unknown_columns", "reject")),
                list_separator=data.get("list_separator", ";"),
                decimal_comma=bool(data.get("decimal_comma", False)),
            )
        except (KeyError, ValueError, TypeError) as error:
            raise BadProfile(f"profile {data.get('name', '?')!r}: {error!r}") from None

    @property
    def required_columns(self) -> list[str]:
        return [c for c in self.columns if c not in self.optional_columns]

    def value_for(self, canonical: str, raw: str) -> str:
        """Apply the profile's value map for ``canonical`` (exact, then case-insensitive)."""
        table = self.values.get(canonical)
        if not table:
            return raw
        if raw in table:
            return table[raw]
        folded = raw.casefold()
        for source, code in table.items():
            if source.casefold() == folded:
                return code
        return raw


def builtin_profiles() -> dict[str, Path]:
    return {p.stem: p for p in sorted(PROFILES.glob("*.json"))}


def load_profile(name_or_path: str | Path) -> Profile:
    """A built-in profile by name (``canonical``, ``cbp-nationwide`` …) or a JSON file."""
    path = builtin_profiles().get(str(name_or_path))
    if path is None:
        candidate = Path(name_or_path)
        if not candidate.is_file():
            known = ", ".join(builtin_profiles())
            raise UnknownProfile(f"no profile {str(name_or_path)!r}; built in: {known}")
        path = candidate
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise BadProfile(f"{path}: {error}") from None
    return Profile.from_dict(data)
