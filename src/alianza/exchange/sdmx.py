"""The exchanged tables in SDMX terms: one data structure (DSD), tables as SDMX-CSV 2.0
(``STRUCTURE,STRUCTURE_ID,ACTION`` then the dimensions, OBS_VALUE and OBS_STATUS; the form
both pysdmx and sdmx1 read).

Every observation has the dimensions REF_AREA (reporting country), DRUG, LOCATION,
CONCEALMENT, TRANSPORT_MODE, MEASURE (``SEIZURES``: number of seizure events, ``AMOUNT_KG``:
kilograms, ``UNITS``: a count of counted units), UNIT_MEASURE (``EVENT``, ``KG``, or the counted
unit: ``TABLET``, ``AMPOULE``, ``DOSE``, ``PLANT``) and TIME_PERIOD (a *calendar* quarter,
``2019-Q1`` = January–March 2019, also in fiscal packages), a value (OBS_VALUE) and OBS_STATUS:
``A`` (normal), ``D`` (definition differs: a kilogram total that leaves out records without a
mass, which are counted in ``UNITS`` instead) or ``M`` (missing: not reported, never zero).
Totals over a dimension use the SDMX code ``_T``; ``_U`` is "unknown / not reported by the
source".

Version 1.0 of the structure had no UNIT_MEASURE and its tables were SDMX-CSV 1.0 (a
``DATAFLOW`` column); they are still read (the unit follows from the measure) so that packages
stored before can be verified again.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from xml.sax.saxutils import escape

from alianza.cells import SafeCsvWriter
from alianza.codes import normalize_name
from alianza.exchange import messages as m
from alianza.exchange.messages import Message

AGENCY = "ALZ"
DSD_ID = "ALZ_SEIZURES"
DATAFLOW_ID = "ALZ_SEIZURES"
VERSION = "2.0"
DATAFLOW = f"{AGENCY}:{DATAFLOW_ID}({VERSION})"
DIMENSIONS = (
    "REF_AREA",
    "DRUG",
    "LOCATION",
    "CONCEALMENT",
    "TRANSPORT_MODE",
    "MEASURE",
    "UNIT_MEASURE",
    "TIME_PERIOD",
)
PREFIX = ("STRUCTURE", "STRUCTURE_ID", "ACTION")  # SDMX-CSV 2.0
PREFIX_VALUES = ("dataflow", DATAFLOW, "I")  # ACTION I: information (the whole table)
HEADER = (*PREFIX, *DIMENSIONS, "OBS_VALUE", "OBS_STATUS")
# version 1.0 (SDMX-CSV 1.0, no UNIT_MEASURE): read only, to verify packages stored before
LEGACY_DATAFLOW = f"{AGENCY}:{DATAFLOW_ID}(1.0)"
LEGACY_HEADER = ("DATAFLOW", *(d for d in DIMENSIONS if d != "UNIT_MEASURE"), "OBS_VALUE",
                 "OBS_STATUS")  # fmt: skip
MEASURES = {
    "SEIZURES": ("Number of seizure events", "Número de aseguramientos"),
    "AMOUNT_KG": ("Amount seized, kilograms", "Cantidad asegurada, kilogramos"),
    "UNITS": ("Counted units seized (no mass)", "Unidades aseguradas contadas (sin masa)"),
}
# the unit of each measure; UNITS takes one of the counted units
MEASURE_UNIT = {"SEIZURES": "EVENT", "AMOUNT_KG": "KG"}
COUNTED_UNITS = {
    "TABLET": ("Tablets", "Tabletas"),
    "AMPOULE": ("Ampoules", "Ampolletas"),
    "DOSE": ("Doses", "Dosis"),
    "PLANT": ("Plants", "Plantas"),
}
UNITS = {
    "EVENT": ("Seizure events", "Aseguramientos"),
    "KG": ("Kilograms", "Kilogramos"),
    **COUNTED_UNITS,
}
# OBS_STATUS codes, as in SDMX's cross-domain code list CL_OBS_STATUS
STATUSES = {
    "A": ("Normal value", "Valor normal"),
    "D": (
        "Definition differs: kilograms leave out records without a mass (counted in UNITS); "
        "seizures leave out records whose source reports no number of events",
        "La definición difiere: los kilogramos excluyen registros sin masa (contados en UNITS); "
        "los aseguramientos excluyen registros cuya fuente no informa el número de eventos",
    ),
    "M": ("Not reported", "No reportado"),
}
# Names of the concepts (English, Spanish)
CONCEPTS = {
    "REF_AREA": ("Reporting country", "País que informa"),
    "DRUG": ("Drug group", "Grupo de drogas"),
    "LOCATION": ("Location", "Ubicación"),
    "CONCEALMENT": ("Concealment method", "Método de ocultamiento"),
    "TRANSPORT_MODE": ("Transport mode", "Medio de transporte"),
    "MEASURE": ("Measure", "Medida"),
    "UNIT_MEASURE": ("Unit of measure", "Unidad de medida"),
    "TIME_PERIOD": ("Time period (calendar quarter)", "Periodo (trimestre calendario)"),
    "OBS_VALUE": ("Observation value", "Valor de la observación"),
    "OBS_STATUS": ("Observation status", "Estado de la observación"),
}
SPECIAL_CODES = {
    "_T": ("Total", "Total"),
    "_U": ("Unknown / not reported", "Desconocido / no reportado"),
}
QUARTER = re.compile(r"^\d{4}-Q[1-4]$")
TABLES = ("totals", "by_location", "by_concealment", "transport_methods")


def location_code(name: str | None, place_code: str | None = None) -> str:
    """The SDMX code of a place: its stable place code when the record has one (an INEGI
    municipality code, a port code), else its name with accents folded and every other
    character run made ``_`` (``Chihuahua / Juárez`` → ``CHIHUAHUA_JUAREZ``, ``San Luis Río
    Colorado`` → ``SAN_LUIS_RIO_COLORADO``); ``_U`` when there is neither."""
    text = place_code or name or ""
    if text.strip().upper() in ("NOT_REPORTED", "UNKNOWN", ""):
        return "_U"
    return re.sub(r"[^A-Z0-9]+", "_", normalize_name(text).upper()).strip("_") or "_U"


def inegi_location(code: str) -> str:
    """The LOCATION code of a Mexican place: its INEGI code behind ``MX_`` (``MX_08037``,
    the municipality of Juárez, Chihuahua; ``MX_08``, the state). The prefix keeps the
    leading zero: readers that guess column types (pandas, so pysdmx) read ``08037`` as 8037."""
    return f"MX_{code}"


class TableError(ValueError):
    """A table does not follow the data structure; the message names the row and column."""

    def __init__(self, message: Message) -> None:
        super().__init__(message.en)
        self.message = message


@dataclass(frozen=True, order=True)
class Observation:
    ref_area: str
    drug: str
    location: str
    concealment: str
    transport_mode: str
    measure: str
    time_period: str
    value: float | None
    status: str = "A"
    unit_measure: str = ""  # "": the measure's own unit (EVENT, KG); UNITS needs its unit

    def __post_init__(self) -> None:
        if not self.unit_measure:
            object.__setattr__(self, "unit_measure", MEASURE_UNIT.get(self.measure, ""))

    def key(self) -> tuple[str, ...]:
        return (
            self.ref_area,
            self.drug,
            self.location,
            self.concealment,
            self.transport_mode,
            self.measure,
            self.unit_measure,
            self.time_period,
        )


def _format_value(value: float | None) -> str:
    if value is None:
        return ""
    if float(value).is_integer():
        return str(int(value))
    return repr(float(value))


def write_csv(observations: Iterable[Observation]) -> bytes:
    buffer = io.StringIO()
    writer = SafeCsvWriter(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    for o in sorted(observations, key=Observation.key):
        writer.writerow([*PREFIX_VALUES, *o.key(), _format_value(o.value), o.status])
    return buffer.getvalue().encode("utf-8")


def read_csv(
    data: bytes,
    *,
    table: str,
    codes: Mapping[str, set[str]] | None = None,
    legacy: bool = True,
) -> list[Observation]:
    """Observations of one table; :class:`TableError` names the row and column at fault.
    ``legacy``: tables of structure 1.0 are read too (to verify stored packages again).

    ``codes`` maps a dimension to its allowed codes (the ``_T`` and ``_U`` codes are always
    allowed); dimensions without an entry are not checked.
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise TableError(m.NOT_UTF8(table=table)) from None
    rows = list(csv.reader(io.StringIO(text)))
    legacy = legacy and bool(rows) and tuple(rows[0]) == LEGACY_HEADER
    if not rows or (tuple(rows[0]) != HEADER and not legacy):
        raise TableError(m.BAD_HEADER(table=table, header=",".join(HEADER)))
    header = LEGACY_HEADER if legacy else HEADER
    prefix = (LEGACY_DATAFLOW,) if legacy else PREFIX_VALUES
    dimensions = header[len(prefix) : -2]
    result = []
    seen: set[tuple[str, ...]] = set()
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            raise TableError(
                m.CELL_COUNT(table=table, row=number, count=len(row), expected=len(header))
            )
        if tuple(row[: len(prefix)]) != prefix:
            raise TableError(
                m.BAD_DATAFLOW(
                    table=table,
                    row=number,
                    value=",".join(row[: len(prefix)]),
                    dataflow=",".join(prefix),
                )
            )
        dims = dict(zip(dimensions, row[len(prefix) : -2], strict=True))
        if legacy:
            dims["UNIT_MEASURE"] = MEASURE_UNIT.get(dims["MEASURE"], "")
        value_text, status = row[-2], row[-1]
        for dimension, code in dims.items():
            allowed = (codes or {}).get(dimension)
            if not code or (
                allowed is not None and code not in allowed and code not in SPECIAL_CODES
            ):
                raise TableError(
                    m.UNKNOWN_CODE(table=table, row=number, dimension=dimension, value=code)
                )
        if dims["MEASURE"] not in MEASURES:
            raise TableError(m.UNKNOWN_MEASURE(table=table, row=number, value=dims["MEASURE"]))
        unit = dims["UNIT_MEASURE"]
        if (
            unit != MEASURE_UNIT.get(dims["MEASURE"], unit)
            or unit not in UNITS
            or (dims["MEASURE"] == "UNITS" and unit not in COUNTED_UNITS)
        ):
            raise TableError(
                m.BAD_UNIT(table=table, row=number, value=unit, measure=dims["MEASURE"])
            )
        if not QUARTER.match(dims["TIME_PERIOD"]):
            raise TableError(m.BAD_TIME_PERIOD(table=table, row=number, value=dims["TIME_PERIOD"]))
        if status not in STATUSES:
            raise TableError(m.BAD_STATUS(table=table, row=number, value=status))
        value: float | None = None
        if status == "D" and dims["MEASURE"] not in ("AMOUNT_KG", "SEIZURES"):
            raise TableError(m.BAD_STATUS(table=table, row=number, value=status))
        if status == "M":
            if value_text:
                raise TableError(m.MISSING_HAS_VALUE(table=table, row=number))
        else:
            try:
                value = float(value_text)
            except ValueError:
                raise TableError(m.BAD_VALUE(table=table, row=number, value=value_text)) from None
            if not math.isfinite(value) or value < 0:
                raise TableError(m.NEGATIVE_VALUE(table=table, row=number, value=value_text))
        observation = Observation(
            dims["REF_AREA"],
            dims["DRUG"],
            dims["LOCATION"],
            dims["CONCEALMENT"],
            dims["TRANSPORT_MODE"],
            dims["MEASURE"],
            dims["TIME_PERIOD"],
            value,
            status,
            dims["UNIT_MEASURE"],
        )
        if observation.key() in seen:
            raise TableError(m.DUPLICATE_KEY(table=table, row=number))
        seen.add(observation.key())
        result.append(observation)
    return result


def dsd_xml(codelists: Mapping[str, Mapping[str, tuple[str, str]]], prepared: str) -> str:
    """The data structure definition as an SDMX-ML 2.1 structure message.

    ``codelists`` maps each coded dimension (all but MEASURE and TIME_PERIOD, which are built
    in) to its codes with English and Spanish names.
    """
    lists = {**codelists, "MEASURE": MEASURES, "UNIT_MEASURE": UNITS, "OBS_STATUS": STATUSES}

    def names(en: str, es: str) -> str:
        return (
            f'<com:Name xml:lang="en">{escape(en)}</com:Name>'
            f'<com:Name xml:lang="es">{escape(es)}</com:Name>'
        )

    codelist_xml = []
    for concept, codes in lists.items():
        all_codes = dict(codes)
        if concept not in ("MEASURE", "UNIT_MEASURE", "OBS_STATUS"):
            all_codes = {**SPECIAL_CODES, **all_codes}
        items = "".join(
            f'<str:Code id="{escape(code)}">{names(*label)}</str:Code>'
            for code, label in all_codes.items()
        )
        en, es = CONCEPTS[concept]
        codelist_xml.append(
            f'<str:Codelist id="CL_{concept}" agencyID="{AGENCY}" version="{VERSION}">'
            f"{names(f'Code list: {en}', f'Lista de códigos: {es}')}"
            f"{items}</str:Codelist>"
        )
    concepts = "".join(
        f'<str:Concept id="{c}">{names(*CONCEPTS[c])}</str:Concept>'
        for c in (*DIMENSIONS, "OBS_VALUE", "OBS_STATUS")
    )

    def concept_ref(concept: str) -> str:
        return (
            f'<str:ConceptIdentity><Ref id="{concept}" maintainableParentID="ALZ_CONCEPTS" '
            f'maintainableParentVersion="{VERSION}" agencyID="{AGENCY}" class="Concept" '
            'package="conceptscheme"/></str:ConceptIdentity>'
        )

    def enumeration(concept: str) -> str:
        return (
            f'<str:LocalRepresentation><str:Enumeration><Ref id="CL_{concept}" '
            f'version="{VERSION}" agencyID="{AGENCY}" class="Codelist" package="codelist"/>'
            "</str:Enumeration></str:LocalRepresentation>"
        )

    dimensions = []
    for position, concept in enumerate(DIMENSIONS[:-1], start=1):
        dimensions.append(
            f'<str:Dimension id="{concept}" position="{position}">'
            f"{concept_ref(concept)}{enumeration(concept)}</str:Dimension>"
        )
    dimensions.append(
        f'<str:TimeDimension id="TIME_PERIOD" position="{len(DIMENSIONS)}">'
        f"{concept_ref('TIME_PERIOD')}<str:LocalRepresentation>"
        '<str:TextFormat textType="ObservationalTimePeriod"/></str:LocalRepresentation>'
        "</str:TimeDimension>"
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<mes:Structure xmlns:mes="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message" xmlns:str="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/structure" xmlns:com="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common">
<mes:Header><mes:ID>ALZ_SEIZURES_DSD</mes:ID><mes:Test>false</mes:Test><mes:Prepared>{prepared}</mes:Prepared><mes:Sender id="{AGENCY}"/></mes:Header>
<mes:Structures>
<str:Dataflows><str:Dataflow id="{DATAFLOW_ID}" agencyID="{AGENCY}" version="{VERSION}">{names("Drug seizures on the common border", "Aseguramientos de drogas en la frontera común")}<str:Structure><Ref id="{DSD_ID}" version="{VERSION}" agencyID="{AGENCY}" class="DataStructure" package="datastructure"/></str:Structure></str:Dataflow></str:Dataflows>
<str:Codelists>{"".join(codelist_xml)}</str:Codelists>
<str:Concepts><str:ConceptScheme id="ALZ_CONCEPTS" agencyID="{AGENCY}" version="{VERSION}">{names("Alianza concepts", "Conceptos de Alianza")}{concepts}</str:ConceptScheme></str:Concepts>
<str:DataStructures><str:DataStructure id="{DSD_ID}" agencyID="{AGENCY}" version="{VERSION}">{names("Drug seizures", "Aseguramientos de drogas")}<str:DataStructureComponents>
<str:DimensionList id="DimensionDescriptor">{"".join(dimensions)}</str:DimensionList>
<str:AttributeList id="AttributeDescriptor"><str:Attribute id="OBS_STATUS" assignmentStatus="Mandatory">{concept_ref("OBS_STATUS")}{enumeration("OBS_STATUS")}<str:AttributeRelationship><str:PrimaryMeasure><Ref id="OBS_VALUE"/></str:PrimaryMeasure></str:AttributeRelationship></str:Attribute></str:AttributeList>
<str:MeasureList id="MeasureDescriptor"><str:PrimaryMeasure id="OBS_VALUE">{concept_ref("OBS_VALUE")}</str:PrimaryMeasure></str:MeasureList>
</str:DataStructureComponents></str:DataStructure></str:DataStructures>
</mes:Structures>
</mes:Structure>
"""
