"""Check and normalize one source row: profile mapping, code lists, numbers, dates, units.

Every problem becomes an :class:`~alianza.validation.Issue`; a row with an error-severity issue
produces no record. Nothing is guessed: a value that maps to no code is an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from alianza.codes import code_list
from alianza.codes import mx_places as geo
from alianza.codes.calendar import BadFiscalYear, FiscalYear, calendar_month, month_number
from alianza.codes.reference import find_area, find_port
from alianza.codes.units import normalize_quantity
from alianza.node import COUNTRY_NAMES
from alianza.seizures import issues
from alianza.seizures.profile import Profile
from alianza.seizures.records import AggregateRecord, DrugItemRecord, EventRecord
from alianza.tabular import SourceRow
from alianza.validation import Issue, Severity

# Event-level canonical fields: every row of one event must agree on them.
EVENT_FIELDS = (
    "source_system",
    "source_record_id",
    "reporting_country",
    "reporting_agency",
    "participating_agencies",
    "event_date",
    "location_type",
    "port_code",
    "area",
    "admin_area",
    "municipality",
    "latitude",
    "longitude",
    "direction",
    "transport_mode",
    "conveyance",
    "conveyance_other",
    "concealment",
    "concealment_other",
    "detection",
    "record_status",
    "releasability",
)
REQUIRED_EVENT_FIELDS = (
    "source_system",
    "source_record_id",
    "reporting_country",
    "reporting_agency",
    "event_date",
    "location_type",
    "record_status",
    "releasability",
    "drug",
    "quantity",
    "unit",
)
PORT_LOCATION_TYPES = frozenset(
    {"POE_LAND_VEHICLE", "POE_LAND_PEDESTRIAN", "POE_LAND_CARGO", "POE_AIR", "POE_SEA"}
)
LAND_PORT_TYPES = frozenset({"POE_LAND_VEHICLE", "POE_LAND_PEDESTRIAN", "POE_LAND_CARGO"})
LAND_FILTERS = frozenset({"LAND", "OTHER"})
THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?")  # 1,250 or 12,500.5
AMBIGUOUS_POINT = re.compile(r"\d{1,3}\.\d{3}")  # with a decimal comma: 1.250


@dataclass
class Checked:
    """What checking one row found: canonical values, issues, and whether it may load."""

    row: int
    values: dict[str, str]
    issues: list[Issue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(i.severity is Severity.ERROR for i in self.issues)


def canonical_values(profile: Profile, row: SourceRow) -> dict[str, str]:
    """Source columns → canonical fields, with constants, value maps and defaults applied."""
    values: dict[str, str] = {}
    source = row.values
    mapped = profile.values
    conditional = {
        rule.field: rule.table
        for rule in profile.values_when
        if source.get(rule.if_column, "").strip() in rule.when
    }
    for column, name in profile.columns.items():
        raw = source.get(column, "")
        if raw:
            raw = raw.strip()
            if raw and name in conditional and _mapped(conditional[name], raw) is not None:
                raw = _mapped(conditional[name], raw) or raw
            elif raw and name in mapped:
                raw = profile.value_for(name, raw)
        values[name] = raw
    if row.measure is not None:
        measure = next(m for m in profile.unpivot if m.column == row.measure)
        values.update(
            drug=measure.drug,
            unit=measure.unit,
            form=measure.form,
            quantity=source.get(measure.column, "").strip(),
        )
    if profile.calendar:
        values.update(_calendar(profile.calendar, source, profile.record.value))
    values.update(profile.constants)
    for name, default in profile.defaults.items():
        if not values.get(name):
            values[name] = default
    return values


def _mapped(table: dict[str, str], raw: str) -> str | None:
    if raw in table:
        return table[raw]
    folded = raw.casefold()
    return next((code for source, code in table.items() if source.casefold() == folded), None)


def _calendar(columns: dict[str, str], source: dict[str, str], record: str) -> dict[str, str]:
    """Calendar year, month (and day) columns → ``period`` (aggregates, ``YYYY-MM``) or
    ``event_date`` (``YYYY-MM-DD``, or ``YYYY-MM`` without a day column). A part that is not a
    whole number is kept as written, so that the date check reports it."""
    parts = [source.get(columns[k], "").strip() for k in ("year", "month", "day") if k in columns]
    if not all(parts):
        return {"period" if record == "aggregate" else "event_date": ""}
    text = "-".join(p.zfill(2) if p.isdigit() and at else p for at, p in enumerate(parts))
    return {"period" if record == "aggregate" else "event_date": text}


class RowChecker:
    """Checks rows of one profile; code lists are looked up once."""

    def __init__(self, profile: Profile, node_country: str | None = None) -> None:
        self.profile = profile
        # The node's country (alianza.node): a row reporting another country is refused.
        self.node_country = node_country
        self.lists = {
            name: code_list(name)
            for name in (
                "drug",
                "form",
                "unit",
                "transport_mode",
                "conveyance",
                "concealment",
                "detection",
                "location_type",
                "direction",
                "agency",
                "region",
                "record_status",
                "releasability",
                "country",
            )
        }
        self.today = date.today()
        # calendar columns are combined into ISO text (see _calendar)
        self.date_formats = ("%Y-%m-%d",) if profile.calendar else profile.date_formats
        self.month_formats = ("%Y-%m",) if profile.calendar else profile.month_formats
        # Lookups and dates repeat heavily in real files: each distinct value is resolved once.
        self._codes: dict[tuple[str, str], str | None] = {}
        self._dates: dict[str, tuple[date | None, str]] = {}

    # -- single values -------------------------------------------------------------------

    def code(
        self, checked: Checked, name: str, list_name: str, *, specify: str | None = None
    ) -> str:
        """The code for field ``name`` (blank → ``""``, which callers check if required)."""
        raw = checked.values.get(name, "")
        if not raw:
            return ""
        cache_key = (list_name, raw)
        if cache_key in self._codes:
            found = self._codes[cache_key]
        else:
            found = self._codes[cache_key] = self.lists[list_name].lookup(raw)
        if found is None:
            checked.issues.append(
                Issue.of(
                    issues.UNKNOWN_CODE, row=checked.row, field=name, value=raw, list=list_name
                )
            )
            return ""
        if name == "reporting_country" and self.node_country and found != self.node_country:
            checked.issues.append(
                Issue.of(
                    issues.FOREIGN_REPORTING_COUNTRY,
                    row=checked.row,
                    field=name,
                    value=found,
                    node=self.node_country,
                    node_es=COUNTRY_NAMES[self.node_country][1],
                )
            )
            return found
        entry = self.lists[list_name][found]
        if specify is not None and entry.requires_specification and not checked.values.get(specify):
            checked.issues.append(
                Issue.of(
                    issues.OTHER_NOT_SPECIFIED,
                    row=checked.row,
                    field=name,
                    value=raw,
                    detail_field=specify,
                )
            )
        return found

    def codes(
        self, checked: Checked, name: str, list_name: str, specify: str | None
    ) -> tuple[str, ...]:
        raw = checked.values.get(name, "")
        found: set[str] = set()
        for part in raw.split(self.profile.list_separator):
            if part.strip():
                sub = Checked(checked.row, {name: part.strip(), **_only(checked.values, specify)})
                code = self.code(sub, name, list_name, specify=specify)
                checked.issues.extend(sub.issues)
                if code:
                    found.add(code)
        return tuple(sorted(found))

    def decimal(self, checked: Checked, name: str) -> Decimal | None:
        raw = checked.values.get(name, "")
        if not raw:
            return None
        text = raw.replace(" ", "")
        if self.profile.decimal_comma:
            if AMBIGUOUS_POINT.fullmatch(text):  # 1.250: a thousands point, or 1.25?
                checked.issues.append(
                    Issue.of(
                        issues.AMBIGUOUS_DECIMAL,
                        row=checked.row,
                        field=name,
                        value=raw,
                        read=text.replace(".", ""),
                    )
                )
            text = text.replace(".", "").replace(",", ".")
        elif "," in text and not THOUSANDS.fullmatch(text):
            # 2,5 is not a thousands separator: a decimal comma the profile does not declare
            checked.issues.append(
                Issue.of(issues.DECIMAL_COMMA_UNDECLARED, row=checked.row, field=name, value=raw)
            )
            return None
        else:
            text = text.replace(",", "")
        try:
            value = Decimal(text)
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite():
            checked.issues.append(
                Issue.of(issues.BAD_NUMBER, row=checked.row, field=name, value=raw)
            )
            return None
        if value < 0:
            checked.issues.append(
                Issue.of(issues.NEGATIVE_NUMBER, row=checked.row, field=name, value=raw)
            )
            return None
        return value

    def integer(self, checked: Checked, name: str) -> int | None:
        raw = checked.values.get(name, "")
        if not raw:
            return None
        text = raw.strip()
        if "," in text and not THOUSANDS.fullmatch(text):  # 2,5 is not a whole number
            checked.issues.append(
                Issue.of(issues.BAD_INTEGER, row=checked.row, field=name, value=raw)
            )
            return None
        text = text.replace(",", "")
        if text.endswith(".0"):
            text = text[:-2]
        if not text.isdigit():
            checked.issues.append(
                Issue.of(issues.BAD_INTEGER, row=checked.row, field=name, value=raw)
            )
            return None
        return int(text)

    def coordinate(self, checked: Checked, name: str, bound: float) -> float | None:
        value = self.decimal_signed(checked, name)
        if value is not None and not -bound <= value <= bound:
            checked.issues.append(
                Issue.of(
                    issues.BAD_COORDINATE, row=checked.row, field=name, value=checked.values[name]
                )
            )
            return None
        return value

    def decimal_signed(self, checked: Checked, name: str) -> float | None:
        raw = checked.values.get(name, "")
        if not raw:
            return None
        try:
            return float(raw.replace(",", ".") if self.profile.decimal_comma else raw)
        except ValueError:
            checked.issues.append(
                Issue.of(issues.BAD_NUMBER, row=checked.row, field=name, value=raw)
            )
            return None

    def event_date(self, checked: Checked) -> tuple[date | None, str]:
        raw = checked.values.get("event_date", "")
        if not raw:
            return None, "day"
        known = self._dates.get(raw)
        if known is not None and known[0] is not None:
            return known
        parsed: date | None = None
        precision = "day"
        if "%Y-%m-%d" in self.date_formats and len(raw) == 10:
            try:
                parsed = date.fromisoformat(raw)
            except ValueError:
                parsed = None
        if parsed is None:
            parsed = _strptime(raw, self.date_formats)
        if parsed is None:
            parsed = _strptime(raw, self.month_formats)
            precision = "month"
        if parsed is None:
            formats = ", ".join(self.date_formats + self.month_formats)
            checked.issues.append(
                Issue.of(
                    issues.BAD_DATE, row=checked.row, field="event_date", value=raw, formats=formats
                )
            )
            return None, "day"
        if parsed > self.today:
            checked.issues.append(
                Issue.of(issues.FUTURE_DATE, row=checked.row, field="event_date", value=raw)
            )
            return None, "day"
        self._dates[raw] = (parsed, precision)
        return parsed, precision

    def required(self, checked: Checked, names: tuple[str, ...]) -> None:
        for name in names:
            if not checked.values.get(name):
                checked.issues.append(Issue.of(issues.MISSING_VALUE, row=checked.row, field=name))

    # -- items and aggregates ------------------------------------------------------------

    def drug_item(self, checked: Checked, *, aggregate: bool) -> DrugItemRecord | None:
        drug = self.code(checked, "drug", "drug", specify="drug_other")
        if drug and not aggregate and self.lists["drug"][drug].aggregate_only:
            checked.issues.append(
                Issue.of(
                    issues.AGGREGATE_ONLY_CODE,
                    row=checked.row,
                    field="drug",
                    value=checked.values["drug"],
                    code=drug,
                )
            )
        form = self.code(checked, "form", "form") or "NOT_REPORTED"
        unit = self.code(checked, "unit", "unit")
        quantity = self.decimal(checked, "quantity")
        packages = self.integer(checked, "package_count")
        if not aggregate and quantity is not None and quantity == 0 and unit != "PLANT":
            checked.issues.append(
                Issue.of(
                    issues.ZERO_QUANTITY,
                    row=checked.row,
                    field="quantity",
                    value=checked.values["quantity"],
                )
            )
        if not (drug and unit and quantity is not None and checked.ok):
            return None
        return DrugItemRecord(
            source_row=checked.row,
            drug_code=drug,
            drug_reported=checked.values["drug"],
            drug_other=checked.values.get("drug_other") or None,
            form=form,
            quantity=normalize_quantity(quantity, unit),
            package_count=packages,
        )

    def aggregate(self, checked: Checked) -> AggregateRecord | None:
        values = checked.values
        not_reported = self.profile.events_not_reported
        self.required(
            checked,
            (
                "source_system",
                "reporting_country",
                "component",
                "drug",
                *(() if not_reported else ("events",)),
                "quantity",
                "unit",
            ),
        )
        # a code of the country list, and this node's own (foreign-reporting-country)
        country = self.code(checked, "reporting_country", "country")
        state, municipality = self.place(checked)
        agency = self.code(checked, "component", "agency")
        region = self.code(checked, "region", "region") or None
        land_filter = values.get("land_filter") or None
        if land_filter is not None and land_filter not in LAND_FILTERS:
            checked.issues.append(
                Issue.of(
                    issues.BAD_LAND_FILTER, row=checked.row, field="land_filter", value=land_filter
                )
            )
        period = self.period(checked)
        events = None if not_reported else self.integer(checked, "events")
        item = self.drug_item(checked, aggregate=True)
        area = values.get("area") or None
        if area is not None and find_area(area) is None:
            checked.issues.append(
                Issue.of(issues.UNKNOWN_AREA, row=checked.row, field="area", value=area)
            )
        location_type = values.get("location_type") or self.derived(agency, "location_type")
        if item is None or period is None or not agency or not country or not checked.ok:
            return None
        if events is None and not not_reported:
            return None
        flags: list[str] = []
        if events is not None and item.quantity.reported == 0 and events > 0:
            flags.append(issues.ZERO_WEIGHT_WITH_EVENTS.code)
            checked.issues.append(
                Issue.of(
                    issues.ZERO_WEIGHT_WITH_EVENTS,
                    row=checked.row,
                    field="quantity",
                    value=values["quantity"],
                    events=events,
                )
            )
        month, fiscal = period
        return AggregateRecord(
            source_row=checked.row,
            source_system=values["source_system"],
            reporting_country=country,
            reporting_agency=agency,
            component=values["component"],
            region=region,
            land_filter=land_filter,
            area=area,
            location_type=location_type or "NOT_REPORTED",
            period_month=month,
            fiscal_year=fiscal.year,
            fiscal_year_to_date=fiscal.to_date,
            drug_code=item.drug_code,
            drug_reported=item.drug_reported,
            events=events,
            quantity=item.quantity,
            flags=tuple(flags),
            state=state,
            municipality=municipality,
            record_status=values.get("record_status") or "PUBLISHED",
            releasability=values.get("releasability") or "PUBLIC_AGGREGATE",
        )

    def period(self, checked: Checked) -> tuple[date, FiscalYear] | None:
        values = checked.values
        if values.get("period"):
            day = _strptime(values["period"], self.month_formats)
            if day is None:
                checked.issues.append(
                    Issue.of(
                        issues.BAD_DATE,
                        row=checked.row,
                        field="period",
                        value=values["period"],
                        formats=", ".join(self.month_formats),
                    )
                )
                return None
            fiscal = FiscalYear(day.year + 1 if day.month >= 10 else day.year, False)
            return day, fiscal
        fiscal_text, month_text = values.get("fiscal_year", ""), values.get("fiscal_month", "")
        if self.profile.calendar:
            self.required(checked, ("period",))
            return None
        if not fiscal_text or not month_text:
            self.required(checked, ("fiscal_year", "fiscal_month"))
            return None
        try:
            fiscal = FiscalYear.parse(fiscal_text)
        except BadFiscalYear:
            checked.issues.append(
                Issue.of(
                    issues.BAD_FISCAL_YEAR, row=checked.row, field="fiscal_year", value=fiscal_text
                )
            )
            return None
        try:
            month = month_number(month_text)
        except ValueError:
            checked.issues.append(
                Issue.of(issues.BAD_MONTH, row=checked.row, field="fiscal_month", value=month_text)
            )
            return None
        return calendar_month(fiscal.year, month), fiscal

    def place(self, checked: Checked) -> tuple[str | None, str | None]:
        """INEGI state and municipality codes of a row (``state``, ``municipality`` fields):
        a code must be in the Marco Geoestadístico; a ``municipality_name`` given beside the
        code must name that municipality (accent- and case-insensitive)."""
        values = checked.values
        raw_state = values.get("state", "")
        raw_municipality = values.get("municipality", "")
        state = municipality = None
        if raw_municipality:
            found = geo.municipality(raw_municipality)
            if found is None:
                checked.issues.append(
                    Issue.of(
                        issues.UNKNOWN_PLACE,
                        row=checked.row,
                        field="municipality",
                        value=raw_municipality,
                        hint=geo.suggest_municipality(raw_municipality) or "—",
                    )
                )
                return None, None
            name = values.get("municipality_name", "")
            if name and not geo.same_name(name, found):
                checked.issues.append(
                    Issue.of(
                        issues.PLACE_NAME_MISMATCH,
                        row=checked.row,
                        field="municipality_name",
                        value=name,
                        code=found.code,
                        official=found.name,
                    )
                )
                return None, None
            municipality, state = found.code, found.state
        if raw_state:
            found_state = geo.state(raw_state)
            if found_state is None or (state is not None and found_state.code != state):
                checked.issues.append(
                    Issue.of(
                        issues.UNKNOWN_PLACE,
                        row=checked.row,
                        field="state",
                        value=raw_state,
                        hint=geo.suggest_state(raw_state) or "—",
                    )
                )
                return None, None
            state = found_state.code
        return state, municipality

    def place_text(self, checked: Checked, admin: str) -> None:
        """A Mexican event's ``State / Municipality`` text must name known places; one that
        does not is a warning with the closest (the record loads with its state alone)."""
        try:
            geo.resolve(admin)
        except geo.UnknownPlace as error:
            checked.issues.append(
                Issue.of(
                    issues.PLACE_NOT_IN_CATALOGUE,
                    row=checked.row,
                    field="admin_area",
                    value=admin,
                    hint=error.hint or "—",
                )
            )

    def derived(self, source_value: str, name: str) -> str:
        rule = self.profile.derive.get(name)
        if not rule or not source_value:
            return ""
        return str(rule.get("map", {}).get(source_value, ""))

    def port(self, checked: Checked, location_type: str, country: str) -> str | None:
        raw = checked.values.get("port_code", "")
        if not raw:
            if country == "US" and location_type in LAND_PORT_TYPES:
                checked.issues.append(
                    Issue.of(
                        issues.MISSING_PORT,
                        row=checked.row,
                        field="port_code",
                        location_type=location_type,
                    )
                )
            return None
        if country == "US" and location_type in LAND_PORT_TYPES:
            port = find_port(raw)
            if port is None:
                checked.issues.append(
                    Issue.of(issues.UNKNOWN_PORT, row=checked.row, field="port_code", value=raw)
                )
                return None
            return port.code
        return raw


def _only(values: dict[str, str], name: str | None) -> dict[str, str]:
    return {name: values.get(name, "")} if name else {}


def _strptime(text: str, formats: tuple[str, ...]) -> date | None:
    for form in formats:
        try:
            return datetime.strptime(text, form).date()
        except ValueError:
            continue
    return None


def check_event_row(
    checker: RowChecker, checked: Checked
) -> tuple[EventRecord | None, DrugItemRecord | None]:
    """The event (its event-level fields) and the drug item one canonical row describes."""
    values = checked.values
    checker.required(checked, REQUIRED_EVENT_FIELDS)
    country = checker.code(checked, "reporting_country", "country")
    agency = checker.code(checked, "reporting_agency", "agency")
    participating = checker.codes(checked, "participating_agencies", "agency", None)
    day, precision = checker.event_date(checked)
    location_type = checker.code(checked, "location_type", "location_type")
    port = checker.port(checked, location_type, country)
    latitude = checker.coordinate(checked, "latitude", 90.0)
    longitude = checker.coordinate(checked, "longitude", 180.0)
    direction = checker.code(checked, "direction", "direction") or "NOT_REPORTED"
    mode = checker.code(checked, "transport_mode", "transport_mode") or "NOT_REPORTED"
    conveyance = (
        checker.code(checked, "conveyance", "conveyance", specify="conveyance_other")
        or "NOT_REPORTED"
    )
    concealment = checker.codes(checked, "concealment", "concealment", "concealment_other")
    detection = checker.codes(checked, "detection", "detection", None)
    status = checker.code(checked, "record_status", "record_status")
    releasability = checker.code(checked, "releasability", "releasability")
    item = checker.drug_item(checked, aggregate=False)
    if not checked.ok or day is None or item is None:
        return None, None
    admin = values.get("admin_area") or None
    if values.get("municipality"):
        admin = f"{admin or ''} / {values['municipality']}".strip(" /")
    if admin and country == "MX":
        checker.place_text(checked, admin)
    event = EventRecord(
        source_row=checked.row,
        source_system=values["source_system"],
        source_record_id=values["source_record_id"],
        reporting_country=country,
        reporting_agency=agency,
        participating_agencies=participating,
        event_date=day,
        date_precision=precision,
        location_type=location_type,
        port_code=port,
        area=values.get("area") or None,
        admin_area=admin,
        latitude=latitude,
        longitude=longitude,
        direction=direction,
        transport_mode=mode,
        conveyance=conveyance,
        conveyance_other=values.get("conveyance_other") or None,
        concealment=concealment or ("NOT_REPORTED",),
        concealment_other=values.get("concealment_other") or None,
        detection=detection or ("NOT_REPORTED",),
        record_status=status,
        releasability=releasability,
        items=[],
    )
    return event, item
