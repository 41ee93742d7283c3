"""Check and normalize one source row: profile mapping, code lists, numbers, dates, units.

Every problem becomes an :class:`~alianza.validation.Issue`; a row with an error-severity issue
produces no record. Nothing is guessed: a value that maps to no code is an error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from alianza.codes import code_list
from alianza.codes.calendar import BadFiscalYear, FiscalYear, calendar_month, month_number
from alianza.codes.reference import find_area, find_port
from alianza.codes.units import normalize_quantity
from alianza.node import COUNTRY_NAMES
from alianza.seizures import issues
from alianza.seizures.profile import Profile
from alianza.seizures.read import SourceRow
from alianza.seizures.records import AggregateRecord, DrugItemRecord, EventRecord
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
    for column, name in profile.columns.items():
        raw = source.get(column, "")
        if raw:
            raw = raw.strip()
            if raw and name in mapped:
                raw = profile.value_for(name, raw)
        values[name] = raw
    values.update(profile.constants)
    for name, default in profile.defaults.items():
        if not values.get(name):
            values[name] = default
    return values


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
        text = (
            text.replace(".", "").replace(",", ".")
            if self.profile.decimal_comma
            else text.replace(",", "")
        )
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
        text = raw.replace(",", "").strip()
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
        if "%Y-%m-%d" in self.profile.date_formats and len(raw) == 10:
            try:
                parsed = date.fromisoformat(raw)
            except ValueError:
                parsed = None
        if parsed is None:
            parsed = _strptime(raw, self.profile.date_formats)
        if parsed is None:
            parsed = _strptime(raw, self.profile.month_formats)
            precision = "month"
        if parsed is None:
            formats = ", ".join(self.profile.date_formats + self.profile.month_formats)
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
        self.required(
            checked,
            (
                "source_system",
                "reporting_country",
                "component",
                "drug",
                "events",
                "quantity",
                "unit",
            ),
        )
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
        events = self.integer(checked, "events")
        item = self.drug_item(checked, aggregate=True)
        area = values.get("area") or None
        if area is not None and find_area(area) is None:
            checked.issues.append(
                Issue.of(issues.UNKNOWN_AREA, row=checked.row, field="area", value=area)
            )
        location_type = values.get("location_type") or self.derived(agency, "location_type")
        if item is None or period is None or events is None or not agency or not checked.ok:
            return None
        flags: list[str] = []
        if item.quantity.reported == 0 and events > 0:
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
            reporting_country=values["reporting_country"],
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
            record_status=values.get("record_status") or "PUBLISHED",
            releasability=values.get("releasability") or "PUBLIC_AGGREGATE",
        )

    def period(self, checked: Checked) -> tuple[date, FiscalYear] | None:
        values = checked.values
        if values.get("period"):
            day = _strptime(values["period"], self.profile.month_formats)
            if day is None:
                checked.issues.append(
                    Issue.of(
                        issues.BAD_DATE,
                        row=checked.row,
                        field="period",
                        value=values["period"],
                        formats=", ".join(self.profile.month_formats),
                    )
                )
                return None
            fiscal = FiscalYear(day.year + 1 if day.month >= 10 else day.year, False)
            return day, fiscal
        fiscal_text, month_text = values.get("fiscal_year", ""), values.get("fiscal_month", "")
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
