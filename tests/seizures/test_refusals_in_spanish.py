"""The code lists', places', aggregation's and import's refusals are catalogue messages: the
English as it always was (``str``), and the same refusal said in Spanish (issue 18)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from click.testing import CliRunner

from alianza.catalogue import in_language, message_of
from alianza.cli import cli
from alianza.codes import code_list, mx_places
from alianza.codes.calendar import FiscalYear
from alianza.codes.units import normalize_quantity
from alianza.seizures import columnar
from alianza.seizures.aggregate import aggregate, parse_where
from alianza.seizures.mucd import import_mucd
from alianza.seizures.service import import_file

# Each refusal comes before the database, the profile or the actor is used.
NO_DATABASE: Any = None
NO_PROFILE: Any = None
NO_ACTOR: Any = None

# (what is refused, its English, the start of its Spanish: the rest is a list of codes)
CASES: list[tuple[Callable[[], object], str, str]] = [
    (
        lambda: FiscalYear.parse("FY20x"),
        "not a fiscal year: 'FY20x'",
        "no es un año fiscal: 'FY20x'",
    ),
    (
        lambda: normalize_quantity(Decimal(1), "BUSHEL"),
        "no conversion for unit 'BUSHEL'",
        "no hay conversión para la unidad 'BUSHEL'",
    ),
    (
        lambda: mx_places.resolve("Chihuahua / Juares"),
        "'Juares' is not a known municipality of Chihuahua; did you mean 08037 Juárez?",
        "'Juares' no es un municipio conocido de Chihuahua; ¿quiso decir 08037 Juárez?",
    ),
    (
        lambda: mx_places.resolve("Sonorra / Caborca"),
        "'Sonorra' is not a Mexican state; did you mean 26 Sonora?",
        "'Sonorra' no es un estado de México; ¿quiso decir 26 Sonora?",
    ),
    (
        lambda: mx_places.resolve("Xqzw"),
        "'Xqzw' is not a Mexican state",
        "'Xqzw' no es un estado de México",
    ),
    (
        lambda: code_list("nope"),
        "no code list 'nope'; known: ",
        "no existe el catálogo de claves 'nope'; conocidos: ",
    ),
    (
        lambda: parse_where(["colour=red"]),
        "bad filter 'colour=red': use DIM=VALUE with DIM one of drug, ",
        "filtro incorrecto 'colour=red': use DIM=VALOR, con DIM una de drug, ",
    ),
    (
        lambda: aggregate(NO_DATABASE, ["colour"]),
        "unknown dimension 'colour'; use: drug, ",
        "dimensión desconocida 'colour'; use: drug, ",
    ),
    (
        lambda: aggregate(NO_DATABASE, ["drug"], unit="oz"),
        "unknown unit 'oz'; use: kg, lb",
        "unidad desconocida 'oz'; use: kg, lb",
    ),
    (
        lambda: columnar.sha256_each(pa.array(["a", None], pa.string())),
        "a null text has no hash",
        "un texto nulo no tiene hash",
    ),
    (
        lambda: next(columnar.read_batches(Path("x.csv"), NO_PROFILE, ["a", "a"], None)),
        "header with duplicate or empty column names",
        "encabezado con nombres de columna repetidos o vacíos",
    ),
    (
        lambda: import_file(NO_DATABASE, Path("x.csv"), "canonical", actor=NO_ACTOR, engine="x"),
        "engine must be 'auto' or 'rows', not 'x'",
        "engine debe ser 'auto' o 'rows', no 'x'",
    ),
]


@pytest.mark.parametrize(("refused", "english", "spanish"), CASES)
def test_a_refusal_keeps_its_english_and_is_said_in_spanish(
    refused: Callable[[], object], english: str, spanish: str
) -> None:
    with pytest.raises(Exception) as error:  # noqa: PT011  # each case its own type
        refused()
    assert str(error.value).startswith(english)
    said = in_language(message_of(error.value), "es")
    assert said.startswith(spanish)
    assert said.removeprefix(spanish) == str(error.value).removeprefix(english)  # the codes


def test_an_empty_mucd_folder_is_refused_in_spanish(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError) as error:
        import_mucd(NO_DATABASE, tmp_path, actor=NO_ACTOR)
    assert str(error.value) == f"no MUCD_DataDASAACSV*.csv file in {tmp_path}"
    assert in_language(message_of(error.value), "es") == (
        f"no hay ningún archivo MUCD_DataDASAACSV*.csv en {tmp_path}"
    )


def test_the_command_line_says_an_unknown_filter_in_the_users_language(tmp_path: Path) -> None:
    args = ["--home", str(tmp_path), "seizures", "aggregate", "--by", "drug", "--where", "c=r"]
    said = {
        language: CliRunner().invoke(cli, args, env={"ALIANZA_LANGUAGE": language})
        for language in ("en", "es")
    }
    assert [r.exit_code for r in said.values()] == [1, 1]
    assert "Error: bad filter 'c=r': use DIM=VALUE with DIM one of drug, " in said["en"].output
    spanish = "Error: filtro incorrecto 'c=r': use DIM=VALOR, con DIM una de drug, "
    assert spanish in said["es"].output
