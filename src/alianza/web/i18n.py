"""Interface strings in English and Spanish, and dates and numbers formatted per language."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from functools import partial

from alianza.pme.dates import MONTH_ABBREVIATIONS
from alianza.web.strings import coop, exchange, pages, ports, risk, seizures

LANGUAGES = ("en", "es")

STRINGS: dict[str, dict[str, str]] = {
    "app_name": {"en": "Alianza", "es": "Alianza"},
    "tagline": {
        "en": "U.S.–Mexico border-security cooperation",
        "es": "Cooperación México–Estados Unidos en seguridad fronteriza",
    },
    "skip": {"en": "Skip to content", "es": "Ir al contenido"},
    "nav_pme": {"en": "Performance measures", "es": "Medidas de desempeño"},
    "nav_seizures": {"en": "Seizures", "es": "Aseguramientos"},
    "nav_exchange": {"en": "Exchange", "es": "Intercambio"},
    "nav_coop": {"en": "Cooperation", "es": "Cooperación"},
    "nav_ports": {"en": "Ports", "es": "Puertos"},
    "nav_risk": {"en": "Targeting", "es": "Selección de riesgo"},
    "nav_audit": {"en": "Audit log", "es": "Bitácora de auditoría"},
    "nav_users": {"en": "Users", "es": "Usuarios"},
    "language": {"en": "Language", "es": "Idioma"},
    "other_language": {"en": "Español", "es": "English"},
    "log_in": {"en": "Log in", "es": "Iniciar sesión"},
    "log_out": {"en": "Log out", "es": "Cerrar sesión"},
    "username": {"en": "Username", "es": "Usuario"},
    "password": {"en": "Password", "es": "Contraseña"},
    "change_password": {"en": "Change password", "es": "Cambiar contraseña"},
    "current_password": {"en": "Current password", "es": "Contraseña actual"},
    "new_password": {"en": "New password", "es": "Contraseña nueva"},
    "new_password_again": {"en": "New password, again", "es": "Contraseña nueva, otra vez"},
    "password_changed": {
        "en": "Password changed. Every other session of yours has ended.",
        "es": "Contraseña cambiada. Todas sus demás sesiones han terminado.",
    },
    "passwords_differ": {
        "en": "The two new passwords differ.",
        "es": "Las dos contraseñas nuevas no coinciden.",
    },
    "password_too_short": {
        "en": "The new password needs at least {minimum} characters.",
        "es": "La contraseña nueva necesita al menos {minimum} caracteres.",
    },
    "current_password_wrong": {
        "en": "The current password is wrong.",
        "es": "La contraseña actual es incorrecta.",
    },
    "login_failed": {
        "en": "Wrong username or password.",
        "es": "Usuario o contraseña incorrectos.",
    },
    "login_throttled": {
        "en": "Too many failed attempts. Try again in {seconds} seconds.",
        "es": "Demasiados intentos fallidos. Intente de nuevo en {seconds} segundos.",
    },
    "signed_in_as": {"en": "Signed in as", "es": "Sesión de"},
    "alliance_point": {"en": "Alliance Point", "es": "Punto de Alianza"},
    "action": {"en": "Action", "es": "Acción"},
    "actions": {"en": "Actions", "es": "Acciones"},
    "baseline": {"en": "Baseline", "es": "Línea base"},
    "targets": {"en": "Targets", "es": "Metas"},
    "measurements": {"en": "Measurements", "es": "Mediciones"},
    "status": {"en": "Status", "es": "Estado"},
    "as_of": {"en": "as of", "es": "al"},
    # a date typed as year-month-day: the same in every browser, whatever its own locale (a
    # date picker follows the browser's locale, not the page's: 03/04/2026 on a Spanish page)
    "date_placeholder": {"en": "YYYY-MM-DD", "es": "AAAA-MM-DD"},
    "date_hint": {
        "en": "A date as year-month-day, for example 2026-03-04 for 4 March 2026",
        "es": "Una fecha como año-mes-día, por ejemplo 2026-03-04 para el 4 de marzo de 2026",
    },
    "latest_status": {"en": "Latest status", "es": "Último estado"},
    "paragraphs": {"en": "Paragraphs", "es": "Párrafos"},
    "sub_action_of": {"en": "Sub-action of", "es": "Subacción de"},
    "status_history": {"en": "Status history", "es": "Historial de estado"},
    "downloads": {"en": "Downloads", "es": "Descargas"},
    "import_report": {"en": "Import a report", "es": "Importar un informe"},
    "report_file": {
        "en": "Report file (tab-separated, English or Spanish)",
        "es": "Archivo del informe (separado por tabuladores, inglés o español)",
    },
    "import": {"en": "Import", "es": "Importar"},
    "import_refused": {
        "en": "The file was refused; nothing was written.",
        "es": "El archivo fue rechazado; no se escribió nada.",
    },
    "import_done": {"en": "Imported.", "es": "Importado."},
    "nothing_changed": {
        "en": "Nothing changed: the plan already holds this content.",
        "es": "Sin cambios: el plan ya contiene este contenido.",
    },
    "line": {"en": "Line", "es": "Línea"},
    "code": {"en": "Code", "es": "Código"},
    "problem": {"en": "Problem", "es": "Problema"},
    "created": {"en": "Created", "es": "Creado"},
    "warnings": {"en": "Warnings", "es": "Advertencias"},
    "no_plan": {
        "en": "No performance-measures report is loaded yet.",
        "es": "Aún no se ha cargado ningún informe de medidas de desempeño.",
    },
    "no_spanish": {
        "en": "This plan has no text in this language yet; showing English.",
        "es": "Este plan aún no tiene texto en este idioma; se muestra en inglés.",
    },
    "in_other_language": {"en": "[ES] Spanish only", "es": "[EN] solo en inglés"},
    "action_in_other_language": {
        "en": "This action has no English text yet; showing Spanish.",
        "es": "Esta acción aún no tiene texto en español; se muestra en inglés.",
    },
    "forbidden_title": {"en": "Not allowed", "es": "No permitido"},
    "forbidden": {
        "en": "Your role does not allow this page.",
        "es": "Su rol no permite esta página.",
    },
    "not_found_title": {"en": "Not found", "es": "No encontrado"},
    "error_title": {"en": "Something went wrong", "es": "Algo salió mal"},
    "back": {"en": "Back", "es": "Volver"},
    "previous": {"en": "Previous", "es": "Anterior"},
    "next": {"en": "Next", "es": "Siguiente"},
    "audit_ok": {
        "en": "Audit chain intact: {n} entries verified.",
        "es": "Cadena de auditoría íntegra: {n} entradas verificadas.",
    },
    "audit_broken": {
        "en": "Audit chain broken at entry {id}: {reason}.",
        "es": "Cadena de auditoría rota en la entrada {id}: {reason}.",
    },
    "when": {"en": "When", "es": "Cuándo"},
    "who": {"en": "Who", "es": "Quién"},
    "what": {"en": "What", "es": "Qué"},
    "subject": {"en": "Subject", "es": "Objeto"},
    "role": {"en": "Role", "es": "Rol"},
    "country": {"en": "Country", "es": "País"},
    "agency": {"en": "Agency", "es": "Dependencia"},
    "active": {"en": "Active", "es": "Activo"},
    "open_sessions": {"en": "Open sessions", "es": "Sesiones abiertas"},
    "login_throttles": {"en": "Login throttles", "es": "Límites de inicio de sesión"},
    "throttle_key": {"en": "Account or address", "es": "Cuenta o dirección"},
    "failures": {"en": "Failed logins", "es": "Intentos fallidos"},
    "last_failure": {"en": "Last failure (UTC)", "es": "Último fallo (UTC)"},
    "wait_seconds": {"en": "Wait (s)", "es": "Espera (s)"},
    "clear": {"en": "Clear", "es": "Borrar"},
    "no_throttles": {"en": "No failed logins recorded.", "es": "No hay intentos fallidos."},
    "yes": {"en": "yes", "es": "sí"},
    "no": {"en": "no", "es": "no"},
    "schedule": {"en": "Schedule", "es": "Situación"},
    "nav_cycles": {"en": "Reporting cycles", "es": "Ciclos de informe"},
    "nav_scorecard": {"en": "Scorecard", "es": "Tablero"},
    "cycles": {"en": "Reporting cycles", "es": "Ciclos de informe"},
    "cycle": {"en": "Cycle", "es": "Ciclo"},
    "state": {"en": "State", "es": "Estado del ciclo"},
    "state_open": {"en": "open", "es": "abierto"},
    "state_in_review": {"en": "in review", "es": "en revisión"},
    "state_returned": {"en": "returned", "es": "devuelto"},
    "state_approved": {"en": "approved", "es": "aprobado"},
    "state_locked": {"en": "locked", "es": "cerrado"},
    "state_published": {"en": "published", "es": "publicado"},
    "no_cycles": {"en": "No reporting cycle yet.", "es": "Aún no hay ciclos de informe."},
    "open_cycle": {"en": "Open a cycle", "es": "Abrir un ciclo"},
    "cycle_key": {"en": "Key", "es": "Clave"},
    "due": {"en": "Due", "es": "Vence"},
    "label_en": {"en": "Label (English)", "es": "Título (inglés)"},
    "label_es": {"en": "Label (Spanish)", "es": "Título (español)"},
    "government": {"en": "Government", "es": "Gobierno"},
    "tr_source": {"en": "original text", "es": "texto original"},
    "tr_draft": {"en": "draft translation", "es": "traducción en borrador"},
    "tr_approved": {"en": "translation reviewed", "es": "traducción revisada"},
    "tr_stale": {"en": "stale: its source changed", "es": "desactualizado: cambió el original"},
    "no_status_yet": {"en": "No status entered yet.", "es": "Aún no se ha capturado el estado."},
    "enter_status": {"en": "Enter status", "es": "Capturar estado"},
    "paragraph_to_revise": {
        "en": "Paragraph to revise (empty: a new one)",
        "es": "Párrafo a revisar (vacío: uno nuevo)",
    },
    "text": {"en": "Text", "es": "Texto"},
    "save": {"en": "Save", "es": "Guardar"},
    "submit": {"en": "Submit for approval", "es": "Enviar a aprobación"},
    "review_as": {"en": "Review for {gov}", "es": "Revisión de {gov}"},
    "approve": {"en": "Approve", "es": "Aprobar"},
    "return_cycle": {"en": "Return with comments", "es": "Devolver con comentarios"},
    "comment": {"en": "Comment", "es": "Comentario"},
    "lock": {"en": "Lock", "es": "Cerrar"},
    "publish": {"en": "Publish", "es": "Publicar"},
    "workflow": {"en": "Workflow", "es": "Flujo de trabajo"},
    "waiting_for": {"en": "Waiting for", "es": "En espera de"},
    "cy_partner": {"en": "partner data, signed message", "es": "dato del socio, mensaje firmado"},
    "cy_edition": {"en": "Edition", "es": "Edición"},
    "cy_signed_by": {"en": "Signed by", "es": "Firmado por"},
    "cy_unsigned": {"en": "Not yet signed by", "es": "Aún sin firma de"},
    "cy_outbox": {
        "en": "Messages waiting for the partner node",
        "es": "Mensajes en espera para el nodo socio",
    },
    "scorecard": {"en": "Scorecard", "es": "Tablero de metas"},
    "assess": {"en": "Assess", "es": "Evaluar"},
    "plan": {"en": "Plan", "es": "Plan"},
    "target": {"en": "Target", "es": "Meta"},
    "completion": {"en": "Recorded completion", "es": "Avance registrado"},
    "st_not_due": {"en": "not due", "es": "no vence aún"},
    "st_due_soon": {"en": "due soon", "es": "vence pronto"},
    "st_overdue": {"en": "overdue", "es": "vencida"},
    "st_met_on_time": {"en": "met on time", "es": "cumplida a tiempo"},
    "st_met_late": {"en": "met late", "es": "cumplida tarde"},
    "st_waiting_on_event": {"en": "waiting on event", "es": "en espera de un evento"},
    "st_no_deadline": {"en": "no deadline", "es": "sin plazo"},
    "st_met_timing_unknown": {"en": "met (timing unknown)", "es": "cumplida (momento incierto)"},
    "st_disputed": {
        "en": "disputed: records and judgement disagree",
        "es": "en disputa: registros y juicio no coinciden",
    },
    "st_unparsed_deadline": {"en": "unparsed deadline", "es": "plazo no interpretado"},
    "todo_title": {"en": "What needs me", "es": "Lo que me toca"},
    "todo_nothing": {"en": "Nothing needs you.", "es": "Nada le espera."},
    "todo_what": {"en": "What", "es": "Qué"},
    "todo_subject": {"en": "Where", "es": "Dónde"},
    "todo_detail": {"en": "Detail", "es": "Detalle"},
    "known_on": {"en": "as known on", "es": "según lo sabido el"},
    "from_records": {"en": "From the records", "es": "Según los registros"},
    "from_judgement": {"en": "From the judgement", "es": "Según el juicio registrado"},
    "co_not_started": {"en": "not started", "es": "no iniciada"},
    "co_in_progress": {"en": "in progress", "es": "en curso"},
    "co_done": {"en": "done", "es": "terminada"},
    "co_done_partially": {"en": "partially done", "es": "terminada en parte"},
    "co_cancelled": {"en": "cancelled", "es": "cancelada"},
    "co_postponed": {"en": "postponed", "es": "pospuesta"},
    "co_no_data": {"en": "no data", "es": "sin datos"},
    "deadline": {"en": "Deadline", "es": "Plazo"},
    "deadline_timeline": {"en": "Deadline timeline", "es": "Cronología de plazos"},
    "deadline_axis": {"en": "Due date (month)", "es": "Fecha de vencimiento (mes)"},
    "deadline_timeline_help": {
        "en": "Each dot is a target at its due date, coloured by its state; the dashed line is "
        "the assessment date. The table below has the same targets.",
        "es": "Cada punto es una meta en su fecha de vencimiento, con el color de su estado; la "
        "línea punteada es la fecha de evaluación. La tabla de abajo tiene las mismas metas.",
    },
    "references": {"en": "Cross-references", "es": "Referencias cruzadas"},
    "unresolved": {"en": "unresolved", "es": "sin resolver"},
}

for _domain in (seizures, exchange, ports, risk, coop, pages):
    _twice = STRINGS.keys() & _domain.STRINGS.keys()
    if _twice:
        raise RuntimeError(f"{_domain.__name__}: keys already defined: {sorted(_twice)}")
    STRINGS.update(_domain.STRINGS)


def translate(key: str, language: str, **values: object) -> str:
    """The key's text in ``language``; where ``n`` is 1 and the key has a ``…_one`` form
    (strings/pages.py), that singular form: "1 row", "1 fila", never "1 rows"."""
    if values.get("n") == 1 and f"{key}_one" in STRINGS:
        key = f"{key}_one"
    entry = STRINGS.get(key)
    if entry is None:
        return key
    text = entry.get(language) or entry["en"]
    return text.format(**values) if values else text


def format_date(value: date | datetime | str | None, language: str) -> str:
    """One date style per language: 31 Aug 1999 (14:23 UTC), 31 ago 1999 (14:23 UTC); an ISO
    text (as packages carry it) is read first."""
    if value is None:
        return "—"
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value
        value = parsed.astimezone(UTC) if parsed.utcoffset() else parsed
    month = MONTH_ABBREVIATIONS["es" if language == "es" else "en"][value.month - 1]
    text = f"{value.day} {month} {value.year}"
    if isinstance(value, datetime):
        text += f" {value:%H:%M} UTC"
    return text


def format_number(value: float | int, language: str, decimals: int = 0) -> str:
    """Thousands separators as Mexico and the United States both write them (1,234.5)."""
    return f"{value:,.{decimals}f}"


def pick_language(requested: str | None, accept_language: str | None, default: str) -> str:
    if requested in LANGUAGES:
        return requested
    if accept_language:
        for part in accept_language.split(","):
            code = part.split(";")[0].strip().lower()[:2]
            if code in LANGUAGES:
                return code
    return default


def translate_message(message: str, language: str) -> str | None:
    """The Spanish of an error or refusal message (see strings/pages.py), or None when the
    message is not in the catalogue (the page then shows it marked as English)."""
    if language == "en":
        return message
    for pattern, spanish in pages.MESSAGES:
        match = re.fullmatch(pattern, message.strip())
        if match is None:
            continue
        groups = [match.group(0), *(g or "" for g in match.groups())]

        text = spanish.format(
            *groups,
            nouns=_looked_up(pages.NOUNS, groups),
            languages=_looked_up(pages.LANGUAGE_NAMES, groups),
            states=_looked_up(pages.STATES, groups),
            doings=_looked_up(pages.DOINGS, groups),
        )
        for part, replacement in pages.MESSAGE_PARTS:
            text = re.sub(part, partial(_part, replacement), text)
        return text
    return None


def _looked_up(table: dict[str, str], groups: list[str]) -> list[str]:
    return [table.get(g, g) for g in groups]


def _part(replacement: str, match: re.Match[str]) -> str:
    language = pages.LANGUAGE_NAMES.get(match.group(2), match.group(2))
    return replacement.format(*match.groups(), language=language)
