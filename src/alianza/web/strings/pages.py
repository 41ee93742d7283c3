"""Strings every page shares (header, roles, countries, plurals, errors) and the account forms
(issue 23)."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "menu": {"en": "Menu", "es": "Menú"},
    "description": {"en": "Description", "es": "Descripción"},
    "main_navigation": {"en": "Main", "es": "Principal"},
    "role_admin": {"en": "administrator", "es": "administración"},
    "role_coordinator": {"en": "coordinator", "es": "coordinación"},
    "role_analyst": {"en": "analyst", "es": "análisis"},
    "role_liaison": {"en": "liaison", "es": "enlace"},
    "role_viewer": {"en": "viewer", "es": "solo lectura"},
    "country_US": {"en": "United States", "es": "Estados Unidos"},
    "country_MX": {"en": "Mexico", "es": "México"},
    "gov_US": {"en": "United States", "es": "Estados Unidos"},
    "gov_MX": {"en": "Mexico", "es": "México"},
    "gov_JOINT": {"en": "joint", "es": "conjunto"},
    "lang_en": {"en": "English", "es": "inglés"},
    "lang_es": {"en": "Spanish", "es": "español"},
    "ex_via_file": {"en": "file", "es": "archivo"},
    "arole_duty-officer": {"en": "duty officer", "es": "oficial de guardia"},
    "arole_supervisor": {"en": "supervisor", "es": "supervisor"},
    "arole_liaison-officer": {"en": "liaison officer", "es": "oficial de enlace"},
    "cr_cadence_example": {"en": "quarterly", "es": "trimestral"},
    # codes the records hold (cooperation registry)
    "code_quarterly": {"en": "quarterly", "es": "trimestral"},
    "code_annual": {"en": "annual", "es": "anual"},
    "code_monthly": {"en": "monthly", "es": "mensual"},
    "code_US and MX": {"en": "US and MX", "es": "EE. UU. y México"},
    "code_US": {"en": "United States", "es": "Estados Unidos"},
    "code_MX": {"en": "Mexico", "es": "México"},
    "code_HLCG": {"en": "HLCG", "es": "GCAN"},
    "code_mobile-search": {"en": "mobile search", "es": "revisión móvil"},
    "code_body-search": {"en": "body search", "es": "revisión corporal"},
    "code_buster": {"en": "density meter (buster)", "es": "densímetro (buster)"},
    "code_x-ray": {"en": "x-ray", "es": "rayos X"},
    "code_gamma-ray": {"en": "gamma ray", "es": "rayos gamma"},
    "code_canine": {"en": "canine team", "es": "binomio canino"},
    "code_ion-scanner": {"en": "ion scanner", "es": "escáner de iones"},
    "code_dedicated-commuter-lane": {
        "en": "dedicated commuter lane",
        "es": "carril exclusivo para viajeros frecuentes",
    },
    "code_license-plate-reader": {"en": "license plate reader", "es": "lector de placas"},
    "code_border-public-safety": {
        "en": "border public safety",
        "es": "seguridad pública fronteriza",
    },
    "code_customs-liaison": {"en": "customs liaison", "es": "enlace aduanero"},
    "code_USCS": {"en": "USCS", "es": "Servicio de Aduanas de EE. UU. (USCS)"},
    # codes of shipments and exams (risk targeting)
    "code_truck": {"en": "truck", "es": "camión"},
    "code_rail": {"en": "rail", "es": "ferrocarril"},
    "code_air": {"en": "air", "es": "aéreo"},
    "code_sea": {"en": "sea", "es": "marítimo"},
    "code_physical": {"en": "physical", "es": "física"},
    "code_non-intrusive": {"en": "non-intrusive", "es": "no intrusiva"},
    "code_documentary": {"en": "documentary", "es": "documental"},
    "code_historical": {"en": "historical", "es": "histórico"},
    "code_unknown": {"en": "unknown", "es": "desconocido"},
    "sz_river": {"en": "Rio Grande", "es": "Río Bravo"},
    "sz_legend_port": {
        "en": "port of entry (area ∝ value)",
        "es": "puerto de entrada (área ∝ valor)",
    },
    "sz_legend_area": {
        "en": "field office or sector (area ∝ value)",
        "es": "oficina de campo o sector (área ∝ valor)",
    },
    "sz_legend_border": {"en": "boundary", "es": "límite internacional"},
    "sz_legend_moved": {
        "en": "line to the true position of a mark moved clear of the others",
        "es": "línea a la posición real de una marca desplazada para no encimarse",
    },
    # singular forms of counted strings (i18n.translate picks them when n is 1)
    "sz_some_quarantined_one": {
        "en": "Loaded, but 1 row went to quarantine.",
        "es": "Cargado, pero 1 fila pasó a cuarentena.",
    },
    "sz_quarantine_total_one": {
        "en": "1 row in quarantine ({shown} shown).",
        "es": "1 fila en cuarentena ({shown} mostrada).",
    },
    "sz_unplaced_one": {
        "en": "1 place not on the map (away from the border, or with no port to place it)",
        "es": "1 lugar fuera del mapa (lejos de la frontera, o sin puerto para ubicarlo)",
    },
    "rk_released_one": {
        "en": "1 shipment released without inspection.",
        "es": "1 envío liberado sin inspección.",
    },
    "audit_ok_one": {
        "en": "Audit chain intact: 1 entry verified.",
        "es": "Cadena de auditoría íntegra: 1 entrada verificada.",
    },
    # account management (/admin/users)
    "us_manage": {"en": "Manage", "es": "Gestionar"},
    "us_set_role": {"en": "Change role", "es": "Cambiar rol"},
    "us_reset": {"en": "Reset password", "es": "Restablecer contraseña"},
    "us_disable": {"en": "Disable", "es": "Desactivar"},
    "us_add": {"en": "Add an account", "es": "Agregar una cuenta"},
    "us_add_button": {"en": "Add", "es": "Agregar"},
    "us_display_name": {"en": "Name shown", "es": "Nombre visible"},
    "us_audited": {
        "en": "Accounts are of this node's country only. Every change is recorded in the audit "
        "log with your name; a role change, a reset or a disabling ends the account's sessions.",
        "es": "Las cuentas son solo del país de este nodo. Cada cambio queda en la bitácora de "
        "auditoría con su nombre; un cambio de rol, un restablecimiento o una desactivación "
        "cierra las sesiones de la cuenta.",
    },
    "us_done_added": {"en": "Account added.", "es": "Cuenta agregada."},
    "us_done_role": {"en": "Role changed.", "es": "Rol cambiado."},
    "us_done_disabled": {"en": "Account disabled.", "es": "Cuenta desactivada."},
    "us_done_password": {
        "en": "Password reset; the account's sessions have ended.",
        "es": "Contraseña restablecida; las sesiones de la cuenta terminaron.",
    },
    "rk_seizure_unknown": {
        "en": "No seizure with that id is held on this node; nothing was recorded. Leave it "
        "empty, or give the id of a seizure event the node holds.",
        "es": "Este nodo no tiene ningún aseguramiento con ese identificador; no se registró "
        "nada. Déjelo vacío o indique el de un aseguramiento que el nodo tenga.",
    },
    "step_open": {"en": "opened", "es": "abierto"},
    "step_enter": {"en": "status entered", "es": "estado capturado"},
    "step_submit": {"en": "submitted for approval", "es": "enviado a aprobación"},
    "step_approve": {"en": "approved", "es": "aprobado"},
    "step_waive": {"en": "approval waived", "es": "aprobación dispensada"},
    "step_return": {"en": "returned with comments", "es": "devuelto con comentarios"},
    "step_lock": {"en": "locked", "es": "cerrado"},
    "step_publish": {"en": "published", "es": "publicado"},
    "step_withdraw": {"en": "paragraph withdrawn", "es": "párrafo retirado"},
}

# Messages of errors and refusals, English as the library and the routes say them (they are
# also the API's), with their Spanish: (pattern of the English message, Spanish template).
# ``{1}``… are the pattern's groups; ``{nouns[1]}`` a group translated through NOUNS.
MESSAGES: list[tuple[str, str]] = [
    (r"your role does not grant (\S+)", "su rol no concede el permiso {1}"),
    (
        r"no (action|package|outbound package|selection|shipment|alert|import report|step|"
        r"download|format|cycle|seizure|port) '?([^' ]+)'?(?: in plan '[^']*')?(?: \(.*\))?",
        "no existe {nouns[1]} {2}",
    ),
    (
        r"a (seizure|report) file is at most ([\d,]+) bytes",
        "un archivo de {nouns[1]} tiene como máximo {2} bytes",
    ),
    (r"(\w+): one of (.+)", "{1}: uno de estos valores: {2}"),
    (r"the request is not valid", "la solicitud no es válida"),
    (
        r"missing or wrong CSRF token; reload the page and retry",
        "falta el token CSRF o es incorrecto; recargue la página y vuelva a intentarlo",
    ),
    (r"an unexpected error happened", "ocurrió un error inesperado"),
    (
        r"no performance-measures report is loaded",
        "no se ha cargado ningún informe de medidas de desempeño",
    ),
    (
        r"a report downloads as report.json or report.csv",
        "un informe se descarga como report.json o report.csv",
    ),
    (
        r"(en|es) cannot be approved yet: (.+?)(?: \(and (\d+) more\))?\. Enter the texts "
        r"\(the cycle must be returned first\), or waive this approval with a reason\.",
        "el texto en {languages[1]} aún no puede aprobarse: {2}. Capture los textos (antes hay "
        "que devolver el ciclo) o dispense esta aprobación con un motivo.",
    ),
    (
        r"cycle '([^']+)' is (\w[\w_ ]*); (\w+) needs it ([\w_ ]+?)( \(return it first\))?",
        "el ciclo «{1}» está {states[2]}; {doings[3]} requiere que esté {states[4]}",
    ),
    (
        r"cycle '([^']+)' has no status text to submit",
        "el ciclo «{1}» no tiene texto de estado que enviar",
    ),
    (r"cycle '([^']+)' exists already \((\w+)\)", "el ciclo «{1}» ya existe ({states[2]})"),
    (r"say what to change \(--comment\)", "diga qué hay que cambiar (comentario)"),
    (r"a status paragraph needs text", "un párrafo de estado necesita texto"),
    (r"last \((.+)\) is before first \((.+)\)", "el final ({1}) es anterior al inicio ({2})"),
    (r"user '([^']+)' already exists", "el usuario «{1}» ya existe"),
    (r"no user '([^']+)'", "no existe el usuario «{1}»"),
    (r"password: at least (\d+) characters", "contraseña: al menos {1} caracteres"),
    (
        r"username '([^']*)': 2–100 characters, lower-case letters, digits, \. _ -",
        "usuario «{1}»: de 2 a 100 caracteres, letras minúsculas, dígitos, . _ -",
    ),
    (r"you cannot disable your own account", "no puede desactivar su propia cuenta"),
]
# Parts of a message that lists problems (the cycle refusal's).
MESSAGE_PARTS = [
    (r"(\S+): no (en|es) text", "{0}: falta el texto en {language}"),
    (
        r"(\S+): (en|es) text is stale \(its source changed\)",
        "{0}: el texto en {language} está desactualizado (cambió el original)",
    ),
]
NOUNS = {
    "action": "la acción", "package": "el paquete", "outbound package": "el paquete enviado",
    "selection": "la selección", "shipment": "el envío", "alert": "la alerta",
    "import report": "el informe de importación", "step": "el paso", "download": "la descarga",
    "format": "el formato", "cycle": "el ciclo", "seizure": "aseguramientos",
    "report": "informe", "port": "el puerto",
}  # fmt: skip
LANGUAGE_NAMES = {"en": "inglés", "es": "español"}
STATES = {
    "open": "abierto", "in_review": "en revisión", "returned": "devuelto",
    "approved": "aprobado", "locked": "cerrado", "published": "publicado",
    "open or returned": "abierto o devuelto", "in_review or returned": "en revisión o devuelto",
}  # fmt: skip
DOINGS = {
    "approving": "aprobar", "submitting": "enviar", "returning": "devolver", "locking": "cerrar",
    "publishing": "publicar", "entering": "capturar", "waiving": "dispensar",
}  # fmt: skip

# What a performance-measures import created (pme/load.py's summary kinds), counted.
_PME_KINDS = {
    "plan": ("plan", "plans", "plan", "planes"),
    "alliance point": (
        "Alliance Point", "Alliance Points", "Punto de Alianza", "Puntos de Alianza",
    ),
    "alliance point title": (
        "Alliance Point title", "Alliance Point titles",
        "título de Punto de Alianza", "títulos de Punto de Alianza",
    ),
    "action": ("action", "actions", "acción", "acciones"),
    "baseline cell": (
        "baseline cell", "baseline cells", "celda de línea base", "celdas de línea base",
    ),
    "targets cell": ("targets cell", "targets cells", "celda de metas", "celdas de metas"),
    "measurements cell": (
        "measurements cell", "measurements cells", "celda de mediciones", "celdas de mediciones",
    ),
    "status snapshot": (
        "status snapshot", "status snapshots", "corte de estado", "cortes de estado",
    ),
}  # fmt: skip
for _kind, (_en, _ens, _es, _ess) in _PME_KINDS.items():
    for _suffix, _en_rev, _es_rev in (("", "", ""), (" revision", " (revision)", " (revisión)")):
        STRINGS[f"pme_kind_{_kind}{_suffix}"] = {
            "en": f"{{n}} {_ens}{_en_rev}", "es": f"{{n}} {_ess}{_es_rev}",
        }  # fmt: skip
        STRINGS[f"pme_kind_{_kind}{_suffix}_one"] = {
            "en": f"1 {_en}{_en_rev}", "es": f"1 {_es}{_es_rev}",
        }  # fmt: skip
