"""Range-checked request parameters: an id, a date or a year outside its sane range is a 422
with the standard error envelope (and the bounds show in the OpenAPI), never a 500 deeper in.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Path, Query

FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2200, 12, 31)
MAX_ID = 2**31 - 1  # ids are INTEGER columns: 32 bits on PostgreSQL (SQLite takes 64)

RowId = Annotated[int, Path(ge=1, le=MAX_ID, description="a stored row's id")]
Day = Annotated[date, Query(ge=FIRST_DAY, le=LAST_DAY, description="YYYY-MM-DD, 1900–2200")]
OptionalDay = Annotated[
    date | None, Query(ge=FIRST_DAY, le=LAST_DAY, description="YYYY-MM-DD, 1900–2200")
]
Year = Annotated[int, Query(ge=FIRST_DAY.year, le=LAST_DAY.year)]
OptionalId = Annotated[int | None, Query(ge=1, le=MAX_ID)]
