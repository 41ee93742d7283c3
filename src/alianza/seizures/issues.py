"""Every kind of problem a seizure import reports: stable codes with English and Spanish texts."""

from __future__ import annotations

from alianza.validation import Severity, issue_type

# File-level problems (row is None).
UNREADABLE_FILE = issue_type(
    "unreadable-file",
    "File cannot be read",
    "No se puede leer el archivo",
    "cannot read the file: {reason}",
    "no se puede leer el archivo: {reason_es}",
)
MISSING_COLUMN = issue_type(
    "missing-column",
    "Required column missing",
    "Falta una columna obligatoria",
    "column {field!r} is required by profile {profile!r} but is not in the file",
    "el perfil {profile!r} exige la columna {field!r}, que no está en el archivo",
)
UNKNOWN_COLUMN = issue_type(
    "unknown-column",
    "Column not in the profile",
    "Columna fuera del perfil",
    "column {field!r} is not in profile {profile!r}; map it, or set unknown_columns to "
    "'ignore' in the profile",
    "la columna {field!r} no está en el perfil {profile!r}; mapéela o ponga unknown_columns en "
    "'ignore' en el perfil",
)
UNKNOWN_COLUMN_IGNORED = issue_type(
    "unknown-column-ignored",
    "Column not in the profile, ignored",
    "Columna fuera del perfil, ignorada",
    "column {field!r} is not in profile {profile!r} and was ignored (policy 'ignore')",
    "la columna {field!r} no está en el perfil {profile!r} y se ignoró (política 'ignore')",
    Severity.WARNING,
)

# Row-level problems.
FOREIGN_REPORTING_COUNTRY = issue_type(
    "foreign-reporting-country",
    "Row of another country",
    "Fila de otro país",
    "this node is the {node} node; the row reports {value}: each country imports its own "
    "records on its own node, and the partner's reach this node only as signed exchange "
    "packages",
    "este nodo es el nodo de {node_es}; la fila reporta {value}: cada país importa sus "
    "registros en su propio nodo, y los del socio llegan a este nodo solo como paquetes de "
    "intercambio firmados",
)
MISSING_VALUE = issue_type(
    "missing-value",
    "Required value missing",
    "Falta un valor obligatorio",
    "{field} is required and is empty",
    "{field} es obligatorio y está vacío",
)
UNKNOWN_CODE = issue_type(
    "unknown-code",
    "Value maps to no code",
    "El valor no corresponde a ningún código",
    "{value!r} is not a known {list} (code, English or Spanish name); add a synonym to the "
    "code list or a value map to the profile",
    "{value!r} no corresponde a ningún código de la lista {list} (código, nombre en inglés "
    "o español); agregue un "
    "sinónimo a la lista de códigos o un mapeo de valores al perfil",
)
OTHER_NOT_SPECIFIED = issue_type(
    "other-not-specified",
    '"Other" without a specified value',
    '"Otro" sin especificar',
    "{field} is {value!r}, which needs the value in {detail_field}",
    "{field} es {value!r}, que requiere el valor en {detail_field}",
)
AGGREGATE_ONLY_CODE = issue_type(
    "aggregate-only-code",
    "Code allowed only in aggregate sources",
    "Código permitido solo en fuentes agregadas",
    "{value!r} ({code}) is accepted only from sources that publish totals; name the substance",
    "{value!r} ({code}) solo se acepta de fuentes que publican totales; indique la sustancia",
)
BAD_NUMBER = issue_type(
    "bad-number",
    "Not a number",
    "No es un número",
    "{field} {value!r} is not a number",
    "{field} {value!r} no es un número",
)
NEGATIVE_NUMBER = issue_type(
    "negative-number",
    "Negative number",
    "Número negativo",
    "{field} {value!r} is negative",
    "{field} {value!r} es negativo",
)
BAD_INTEGER = issue_type(
    "bad-integer",
    "Not a whole number",
    "No es un número entero",
    "{field} {value!r} is not a whole number ≥ 0",
    "{field} {value!r} no es un número entero ≥ 0",
)
ZERO_QUANTITY = issue_type(
    "zero-quantity",
    "Zero quantity in an event",
    "Cantidad cero en un evento",
    "quantity is 0; an event's drug item must have a quantity above zero",
    "la cantidad es 0; la droga de un evento debe tener una cantidad mayor que cero",
)
ZERO_WEIGHT_WITH_EVENTS = issue_type(
    "zero-weight-with-events",
    "Events with zero weight",
    "Eventos con peso cero",
    "{events} event(s) with a reported weight of 0; loaded and flagged, not read as no seizure",
    "{events} evento(s) con peso reportado 0; se cargan y se marcan, no se leen como sin "
    "aseguramiento",
    Severity.WARNING,
)
BAD_DATE = issue_type(
    "bad-date",
    "Unreadable date",
    "Fecha ilegible",
    "{field} {value!r} does not match the profile's date formats ({formats})",
    "{field} {value!r} no coincide con los formatos de fecha del perfil ({formats})",
)
FUTURE_DATE = issue_type(
    "future-date",
    "Date in the future",
    "Fecha futura",
    "{field} {value!r} is after today",
    "{field} {value!r} es posterior a hoy",
)
BAD_FISCAL_YEAR = issue_type(
    "bad-fiscal-year",
    "Unreadable fiscal year",
    "Año fiscal ilegible",
    "{value!r} is not a fiscal year such as 2024 or '2026 (FYTD)'",
    "{value!r} no es un año fiscal como 2024 o '2026 (FYTD)'",
)
BAD_MONTH = issue_type(
    "bad-month",
    "Unreadable month",
    "Mes ilegible",
    "{value!r} is not a month abbreviation (JAN … DEC)",
    "{value!r} no es una abreviatura de mes (JAN … DEC)",
)
BAD_COORDINATE = issue_type(
    "bad-coordinate",
    "Coordinate out of range",
    "Coordenada fuera de rango",
    "{field} {value!r} is not a WGS84 coordinate",
    "{field} {value!r} no es una coordenada WGS84",
)
UNKNOWN_PORT = issue_type(
    "unknown-port",
    "Unknown port of entry",
    "Puerto de entrada desconocido",
    "port {value!r} is not in the US–Mexico land port table",
    "el puerto {value!r} no está en la tabla de puertos terrestres EE. UU.–México",
)
MISSING_PORT = issue_type(
    "missing-port",
    "Port of entry required",
    "Falta el puerto de entrada",
    "location type {location_type} is a port of entry: port_code is required",
    "el tipo de lugar {location_type} es un puerto de entrada: port_code es obligatorio",
)
UNKNOWN_AREA = issue_type(
    "unknown-area",
    "Area of responsibility not in the reference table",
    "Área de responsabilidad fuera de la tabla de referencia",
    "area {value!r} is not in the reference table of areas; loaded as reported",
    "el área {value!r} no está en la tabla de referencia; se carga como se reportó",
    Severity.WARNING,
)
BAD_LAND_FILTER = issue_type(
    "bad-land-filter",
    "Unknown land filter",
    "Filtro terrestre desconocido",
    "{value!r} is not a land filter (Land Only, Land or Other)",
    "{value!r} no es un filtro terrestre (Land Only, Land u Other)",
)
CONFLICTING_EVENT_FIELDS = issue_type(
    "conflicting-event-fields",
    "Rows of one event disagree",
    "Las filas de un evento no coinciden",
    "{field} is {value!r} here but {first!r} in row {first_row} of the same event",
    "{field} es {value!r} aquí pero {first!r} en la fila {first_row} del mismo evento",
)
REPEATED_EVENT = issue_type(
    "repeated-event",
    "Event id repeated apart",
    "Identificador de evento repetido por separado",
    "event {value!r} already appeared in row {first_row}; the rows of one event must be "
    "consecutive",
    "el evento {value!r} ya apareció en la fila {first_row}; las filas de un evento deben ser "
    "consecutivas",
)
SIBLING_ROW_INVALID = issue_type(
    "sibling-row-invalid",
    "Another row of this event is invalid",
    "Otra fila de este evento no es válida",
    "quarantined with its event: row {other_row} of event {value!r} is invalid",
    "en cuarentena con su evento: la fila {other_row} del evento {value!r} no es válida",
)
DUPLICATE_KEY_IN_FILE = issue_type(
    "duplicate-key-in-file",
    "Same record twice in the file",
    "El mismo registro dos veces en el archivo",
    "this row repeats the key of row {first_row} ({value})",
    "esta fila repite la clave de la fila {first_row} ({value})",
)
BAD_ENCODING = issue_type(
    "bad-encoding",
    "Text the declared encoding cannot read",
    "Texto que la codificación declarada no puede leer",
    "row {line}, column {field!r}: byte 0x{byte} is not valid {encoding}; the file is probably "
    "in another encoding (Latin-1 / Windows-1252 for many Mexican files): save it as UTF-8, "
    "or for a seizure profile set its encoding to 'latin-1', or to 'auto' to detect it",
    "fila {line}, columna {field!r}: el byte 0x{byte} no es {encoding} válido; el archivo "
    "probablemente está en otra codificación (Latin-1 / Windows-1252 en muchos archivos "
    "mexicanos): guárdelo en UTF-8, o en un perfil de decomisos ponga su codificación en "
    "'latin-1', o en 'auto' para detectarla",
)
DECIMAL_COMMA_UNDECLARED = issue_type(
    "decimal-comma-undeclared",
    "Decimal comma the profile does not declare",
    "Coma decimal no declarada en el perfil",
    "{value!r} has a comma that is not a thousands separator (a decimal comma?); it was not "
    "read as a number: set decimal_comma to true in the profile if the file uses one",
    "{value!r} tiene una coma que no separa miles (¿coma decimal?); no se leyó como número: "
    "ponga decimal_comma en true en el perfil si el archivo la usa",
)
AMBIGUOUS_DECIMAL = issue_type(
    "ambiguous-decimal",
    "Ambiguous number",
    "Número ambiguo",
    "{value!r} was read as {read} (the point as a thousands separator, decimal comma "
    "declared); check that it is not a decimal point",
    "{value!r} se leyó como {read} (el punto como separador de miles, coma decimal "
    "declarada); verifique que no sea un punto decimal",
    Severity.WARNING,
)
UNKNOWN_PLACE = issue_type(
    "unknown-place",
    "Place not in INEGI's catalogue",
    "Lugar fuera del catálogo del INEGI",
    "{value!r} is not a known {field} (INEGI Marco Geoestadístico); closest: {hint}",
    "{value!r} no es un {field} conocido (Marco Geoestadístico del INEGI); más cercano: {hint}",
)
PLACE_NAME_MISMATCH = issue_type(
    "place-name-mismatch",
    "Place name does not match its code",
    "El nombre del lugar no corresponde a su clave",
    "{value!r} is not the name of municipality {code} ({official!r})",
    "{value!r} no es el nombre del municipio {code} ({official!r})",
)
ROWS_FILTERED = issue_type(
    "rows-filtered",
    "Rows left out by the profile's filters",
    "Filas excluidas por los filtros del perfil",
    "{count} rows were left out by the profile's row filters ({filters}); they are not errors",
    "{count} filas quedaron fuera por los filtros de filas del perfil ({filters}); no son errores",
    Severity.WARNING,
)
EXTRA_CELLS = issue_type(
    "extra-cells",
    "More cells than the header has columns",
    "Más celdas que columnas en el encabezado",
    "the row has cells past the last header column ({value!r}); if they are always empty "
    "(a trailing comma), set trailing_empty_columns to 'ignore' in the profile",
    "la fila tiene celdas después de la última columna del encabezado ({value!r}); si siempre "
    "están vacías (una coma al final), ponga trailing_empty_columns en 'ignore' en el perfil",
)
PLACE_NOT_IN_CATALOGUE = issue_type(
    "place-not-in-catalogue",
    "Place not found in INEGI's catalogue",
    "Lugar no encontrado en el catálogo del INEGI",
    "{value!r} names no state or municipality in INEGI's catalogue (closest: {hint}); the "
    "record loads without a place code (region from the state, if known)",
    "{value!r} no nombra ningún estado o municipio del catálogo del INEGI (más cercano: "
    "{hint}); el registro se carga sin clave de lugar (región según el estado, si se conoce)",
    Severity.WARNING,
)
