"""Problems found in a report file: values with a stable code, a line and a message."""

from __future__ import annotations

from dataclasses import dataclass

# Stable codes (the contract) with English and Spanish titles.
CODES: dict[str, tuple[str, str]] = {
    "not-utf8": ("File is not UTF-8 text", "El archivo no es texto UTF-8"),
    "empty-report": ("No table rows found", "No se encontraron filas de tabla"),
    "bad-title": ("Unreadable Alliance Point title", "Título de Punto de Alianza ilegible"),
    "conflicting-title": (
        "Alliance Point titled differently in one file",
        "Punto de Alianza con títulos distintos en un mismo archivo",
    ),
    "bad-header": ("Unreadable table header", "Encabezado de tabla ilegible"),
    "mixed-language": ("English and Spanish mixed", "Inglés y español mezclados"),
    "bad-as-of-date": ("Unparseable as-of date", "Fecha de corte ilegible"),
    "row-before-header": (
        "Data row before any title and header",
        "Fila de datos antes de título y encabezado",
    ),
    "wrong-cell-count": ("Wrong number of cells", "Número de celdas incorrecto"),
    "missing-action-number": ("Action cell without a number", "Celda de acción sin número"),
    "action-outside-alliance-point": (
        "Action number does not belong to its Alliance Point",
        "El número de acción no pertenece a su Punto de Alianza",
    ),
    "duplicate-action": ("Action appears twice", "Acción repetida"),
    "missing-parent-action": ("Sub-action without its parent", "Subacción sin acción principal"),
    "dropped-markup": ("Unsupported markup removed", "Marcado no admitido eliminado"),
}


@dataclass(frozen=True)
class Problem:
    code: str
    line: int | None
    message: str
    column: str | None = None

    @property
    def title(self) -> str:
        return CODES[self.code][0]

    @property
    def title_es(self) -> str:
        return CODES[self.code][1]

    def describe(self, source: str) -> str:
        where = f"{source}, line {self.line}" if self.line else source
        column = f", column {self.column}" if self.column else ""
        return f"{where}{column}: {self.message} [{self.code}]"


class ReportRejected(Exception):
    """The report file cannot be imported; nothing was written."""

    def __init__(self, source: str, problems: list[Problem]) -> None:
        self.source = source
        self.problems = problems
        lines = [p.describe(source) for p in problems]
        super().__init__(
            f"{source}: refused, {len(problems)} problem(s), nothing was written:\n  "
            + "\n  ".join(lines)
        )
