"""Kinds of data problems in crossing (BTS) and wait-time (CBP BWT) files.

Codes are the contract: stable, kebab-case, prefixed by the source (``bts-``, ``bwt-``) so that
they never collide with other importers' codes.
"""

from __future__ import annotations

from alianza.validation import Severity, issue_type

W = Severity.WARNING

# Both sources
NOT_UTF8 = issue_type(
    "ports-not-utf8",
    "File is not UTF-8 text",
    "El archivo no es texto UTF-8",
    "the file is not UTF-8 text ({detail}); save it as UTF-8 and import it again",
    "el archivo no es texto UTF-8 ({detail}); guárdelo como UTF-8 e impórtelo de nuevo",
)
UNKNOWN_FORMAT = issue_type(
    "ports-unknown-format",
    "Not a known crossings or wait-times file",
    "No es un archivo conocido de cruces o tiempos de espera",
    "the header matches no known format (BTS crossings, CBP wait times): {value}",
    "el encabezado no corresponde a ningún formato conocido (cruces BTS, tiempos CBP): {value}",
)
MISSING_COLUMN = issue_type(
    "ports-missing-column",
    "Required column missing",
    "Falta una columna obligatoria",
    "column {field!r} is missing; nothing was loaded",
    "falta la columna {field!r}; no se cargó nada",
)
UNKNOWN_COLUMN = issue_type(
    "ports-unknown-column",
    "Unknown column ignored",
    "Columna desconocida ignorada",
    "column {field!r} is not part of the format and was ignored",
    "la columna {field!r} no forma parte del formato y se ignoró",
    W,
)

# BTS Border Crossing Entry Data
BAD_PORT_CODE = issue_type(
    "bts-bad-port-code",
    "Unreadable port code",
    "Código de puerto ilegible",
    "port code {value!r} is not 3 or 4 digits",
    "el código de puerto {value!r} no tiene 3 o 4 dígitos",
)
UNKNOWN_PORT = issue_type(
    "bts-unknown-port",
    "Port not in the US–Mexico port list",
    "Puerto fuera de la lista de puertos EE. UU.–México",
    "port code {value} ({name}) is not a US–Mexico land port known to Alianza",
    "el código de puerto {value} ({name}) no es un puerto terrestre EE. UU.–México conocido",
)
DISCONTINUED_PORT = issue_type(
    "bts-discontinued-port",
    "Port no longer in the current release",
    "Puerto que ya no figura en la publicación vigente",
    "port {value} ({name}) exists only in older releases; row kept in quarantine",
    "el puerto {value} ({name}) solo existe en publicaciones anteriores; fila en cuarentena",
)
BAD_DATE = issue_type(
    "bts-bad-date",
    "Unreadable month",
    "Mes ilegible",
    "date {value!r} is neither 'Mon YYYY' nor 'MM/01/YYYY 12:00:00 AM'",
    "la fecha {value!r} no es 'Mon YYYY' ni 'MM/01/YYYY 12:00:00 AM'",
)
UNKNOWN_MEASURE = issue_type(
    "bts-unknown-measure",
    "Unknown measure",
    "Medida desconocida",
    "measure {value!r} is not a BTS measure (nor a known older name of one)",
    "la medida {value!r} no es una medida BTS (ni un nombre anterior conocido)",
)
BAD_VALUE = issue_type(
    "bts-bad-value",
    "Value is not a count",
    "El valor no es un conteo",
    "value {value!r} is not a whole number ≥ 0",
    "el valor {value!r} no es un número entero ≥ 0",
)
RENAMED_MEASURE = issue_type(
    "bts-renamed-measure",
    "Older measure name mapped",
    "Nombre anterior de medida convertido",
    "measure {value!r} read as {current!r} ({count} rows, first shown)",
    "la medida {value!r} se leyó como {current!r} ({count} filas; se muestra la primera)",
    W,
)
RENAMED_PORT = issue_type(
    "bts-renamed-port",
    "Older port name mapped",
    "Nombre anterior de puerto convertido",
    "port name {value!r} read as {current!r} ({count} rows, first shown)",
    "el nombre de puerto {value!r} se leyó como {current!r} ({count} filas; primera mostrada)",
    W,
)
PORT_NAME_MISMATCH = issue_type(
    "bts-port-name-mismatch",
    "Port name differs from the port list",
    "Nombre de puerto distinto del de la lista",
    "port {code} is named {value!r} here and {current!r} in the port list ({count} rows); "
    "keyed by code",
    "el puerto {code} se llama {value!r} aquí y {current!r} en la lista ({count} filas); "
    "se usa el código",
    W,
)
OTHER_BORDER = issue_type(
    "bts-other-border",
    "Rows of another border skipped",
    "Filas de otra frontera omitidas",
    "{count} rows of {value!r} are outside this node's scope (US-Mexico Border) and were "
    "skipped; first shown",
    "{count} filas de {value!r} están fuera del alcance de este nodo (frontera EE. UU.–México) "
    "y se omitieron; se muestra la primera",
    W,
)
DUPLICATE_ROW = issue_type(
    "bts-duplicate-row",
    "Identical duplicate row",
    "Fila duplicada idéntica",
    "same port, month, measure and value as row {first}; counted once",
    "mismo puerto, mes, medida y valor que la fila {first}; se cuenta una vez",
    W,
)
CONFLICTING_ROWS = issue_type(
    "bts-conflicting-rows",
    "Same port, month and measure with different values",
    "Mismo puerto, mes y medida con valores distintos",
    "port {code}, {month}, {measure}: rows {rows} give values {values}; none was loaded, "
    "fix the file and import it again",
    "puerto {code}, {month}, {measure}: las filas {rows} dan los valores {values}; no se cargó "
    "ninguna, corrija el archivo e impórtelo de nuevo",
)
CONFLICTS_WITH_HELD = issue_type(
    "bts-conflicts-with-held",
    "Value differs from the one held",
    "Valor distinto del ya registrado",
    "port {code}, {month}, {measure}: this file says {value}, the node holds {held} "
    "(import {held_import}); row kept in quarantine",
    "puerto {code}, {month}, {measure}: este archivo dice {value}, el nodo tiene {held} "
    "(importación {held_import}); fila en cuarentena",
)

# CBP Border Wait Times
BAD_NUMBER = issue_type(
    "bwt-bad-number",
    "Not a whole number",
    "No es un número entero",
    "{field} {value!r} is not a whole number ≥ 0 (nor a missing-value marker)",
    "{field} {value!r} no es un número entero ≥ 0 (ni un marcador de valor faltante)",
)
OUT_OF_RANGE = issue_type(
    "bwt-out-of-range",
    "Value out of range",
    "Valor fuera de rango",
    "{field} {value} is outside {low}–{high}",
    "{field} {value} está fuera de {low}–{high}",
)
DUPLICATE_SLOT = issue_type(
    "bwt-duplicate-slot",
    "Month, weekday and hour given twice",
    "Mes, día y hora repetidos",
    "month {month}, day {weekday}, hour {hour} already given in row {first}",
    "mes {month}, día {weekday}, hora {hour} ya figura en la fila {first}",
)
INCOMPLETE_MONTH = issue_type(
    "bwt-incomplete-month",
    "Month without 7 × 24 slots",
    "Mes sin 7 × 24 franjas",
    "month {value} has {count} of 168 weekday-hour slots",
    "el mes {value} tiene {count} de 168 franjas día-hora",
    W,
)
NOT_APPLICABLE_COLUMN = issue_type(
    "bwt-not-applicable-column",
    "All-zero column read as not applicable",
    "Columna toda en cero leída como no aplicable",
    "column {field!r} is 0 in every row: read as 'not applicable' (no such lanes), not as no wait",
    "la columna {field!r} vale 0 en todas las filas: se lee como 'no aplica' (no hay esos "
    "carriles), no como espera nula",
    W,
)
UNKNOWN_CROSSING = issue_type(
    "bwt-unknown-crossing",
    "Unknown crossing number",
    "Número de cruce desconocido",
    "crossing {value!r} is not in the crossing → port table",
    "el cruce {value!r} no está en la tabla cruce → puerto",
)
UNKNOWN_STATUS = issue_type(
    "bwt-unknown-status",
    "Unknown operational status",
    "Estado operativo desconocido",
    "operational status {value!r} is not one of delay, no delay, N/A, Lanes Closed",
    "el estado operativo {value!r} no es delay, no delay, N/A ni Lanes Closed",
)
UNKNOWN_LANE_TYPE = issue_type(
    "bwt-unknown-lane-type",
    "Unknown lane type",
    "Tipo de carril desconocido",
    "lane type {value!r} is not commercial, passenger or pedestrian lanes",
    "el tipo de carril {value!r} no es comercial, de pasajeros ni peatonal",
)
BAD_READING_DATE = issue_type(
    "bwt-bad-date",
    "Unreadable date",
    "Fecha ilegible",
    "date {value!r} is not M/D/YYYY",
    "la fecha {value!r} no es M/D/AAAA",
)
BAD_UPDATE_TIME = issue_type(
    "bwt-bad-update-time",
    "Unreadable update time",
    "Hora de actualización ilegible",
    "update time {value!r} is not like 'At 5:00 pm PST'",
    "la hora de actualización {value!r} no es como 'At 5:00 pm PST'",
)
STATUS_DISAGREES = issue_type(
    "bwt-status-disagrees",
    "Status and delay disagree",
    "Estado y demora no concuerdan",
    "status {value!r} with delay_minutes {minutes}: both kept as read",
    "estado {value!r} con delay_minutes {minutes}: ambos se conservan como se leyeron",
    W,
)
WAIT_CONFLICTS_WITH_HELD = issue_type(
    "bwt-conflicts-with-held",
    "Waits differ from the ones held",
    "Esperas distintas de las ya registradas",
    "crossing {crossing}, month {month}, day {weekday}, hour {hour}: this file's waits differ "
    "from those held (import {held_import}); row kept in quarantine",
    "cruce {crossing}, mes {month}, día {weekday}, hora {hour}: las esperas de este archivo "
    "difieren de las registradas (importación {held_import}); fila en cuarentena",
)
CROSSING_REQUIRED = issue_type(
    "bwt-crossing-required",
    "Crossing not named",
    "Cruce no indicado",
    "historical wait files do not name their crossing: give it (e.g. --crossing 250401)",
    "los archivos históricos de espera no indican su cruce: indíquelo (p. ej. --crossing 250401)",
)
