"""Strings every page shares (header, roles, countries, plurals, errors) and the account forms
(issue 23)."""

from __future__ import annotations

from alianza.web.strings import Message

STRINGS: dict[str, Message] = {
    "menu": "Menu",
    "description": "Description",
    "main_navigation": "Main",
    "role_admin": "administrator",
    "role_coordinator": "coordinator",
    "role_analyst": "analyst",
    "role_liaison": "liaison",
    "role_viewer": "viewer",
    "country_US": "United States",
    "country_MX": "Mexico",
    "gov_US": "United States",
    "gov_MX": "Mexico",
    "gov_JOINT": "joint",
    "lang_en": "English",
    "lang_es": "Spanish",
    "ex_via_file": "file",
    "arole_duty-officer": "duty officer",
    "arole_supervisor": "supervisor",
    "arole_liaison-officer": "liaison officer",
    "cr_cadence_example": "quarterly",
    # codes the records hold (cooperation registry)
    "code_quarterly": "quarterly",
    "code_annual": "annual",
    "code_monthly": "monthly",
    "code_US and MX": "US and MX",
    "code_US": "United States",
    "code_MX": "Mexico",
    "code_HLCG": "HLCG",
    "code_mobile-search": "mobile search",
    "code_body-search": "body search",
    "code_buster": "density meter (buster)",
    "code_x-ray": "x-ray",
    "code_gamma-ray": "gamma ray",
    "code_canine": "canine team",
    "code_ion-scanner": "ion scanner",
    "code_dedicated-commuter-lane": "dedicated commuter lane",
    "code_license-plate-reader": "license plate reader",
    "code_border-public-safety": "border public safety",
    "code_customs-liaison": "customs liaison",
    "code_USCS": "USCS",
    # codes of shipments and exams (risk targeting)
    "code_truck": "truck",
    "code_rail": "rail",
    "code_air": "air",
    "code_sea": "sea",
    "code_physical": "physical",
    "code_non-intrusive": "non-intrusive",
    "code_documentary": "documentary",
    "code_historical": "historical",
    "code_unknown": "unknown",
    "sz_river": "Rio Grande",
    "sz_legend_port": "port of entry (area ∝ value)",
    "sz_legend_area": "field office or sector (area ∝ value)",
    "sz_legend_border": "boundary",
    "sz_legend_moved": "line to the true position of a mark moved clear of the others",
    # singular forms of counted strings (i18n.translate picks them when n is 1)
    # account management (/admin/users)
    "us_manage": "Manage",
    "us_set_role": "Change role",
    "us_reset": "Reset password",
    "us_disable": "Disable",
    "us_add": "Add an account",
    "us_add_button": "Add",
    "us_display_name": "Name shown",
    "us_audited": (
        "Accounts are of this node's country only. Every change is recorded in the audit log with "
        "your name; a role change, a reset or a disabling ends the account's sessions."
    ),
    "us_done_added": "Account added.",
    "us_done_role": "Role changed.",
    "us_done_disabled": "Account disabled.",
    "us_done_password": "Password reset; the account's sessions have ended.",
    "rk_seizure_unknown": (
        "No seizure with that id is held on this node; nothing was recorded. Leave it empty, or "
        "give the id of a seizure event the node holds."
    ),
    "step_open": "opened",
    "step_enter": "status entered",
    "step_submit": "submitted for approval",
    "step_approve": "approved",
    "step_waive": "approval waived",
    "step_return": "returned with comments",
    "step_lock": "locked",
    "step_publish": "published",
    "step_withdraw": "paragraph withdrawn",
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

# What a performance-measures import created (pme/load.py's summary kinds), counted: one plural
# message a kind, and one for its revisions (their Spanish is in the catalogue).
_PME_KINDS = {
    "plan": ("plan", "plans"),
    "alliance point": ("Alliance Point", "Alliance Points"),
    "alliance point title": ("Alliance Point title", "Alliance Point titles"),
    "action": ("action", "actions"),
    "baseline cell": ("baseline cell", "baseline cells"),
    "targets cell": ("targets cell", "targets cells"),
    "measurements cell": ("measurements cell", "measurements cells"),
    "status snapshot": ("status snapshot", "status snapshots"),
}
for _kind, (_one, _other) in _PME_KINDS.items():
    for _suffix, _revision in (("", ""), (" revision", " (revision)")):
        STRINGS[f"pme_kind_{_kind}{_suffix}"] = (
            f"1 {_one}{_revision}",
            f"{{n}} {_other}{_revision}",
        )
