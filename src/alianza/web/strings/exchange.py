"""Interface strings of the exchange pages (English and Spanish)."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "ex_title": {"en": "Exchange", "es": "Intercambio"},
    "ex_analysis": {"en": "Joint analysis", "es": "Análisis conjunto"},
    "ex_analysis_title": {
        "en": "Joint analysis of seizures on the common border",
        "es": "Análisis conjunto de aseguramientos en la frontera común",
    },
    "ex_node": {"en": "This node", "es": "Este nodo"},
    "ex_fingerprint": {"en": "key fingerprint", "es": "huella de la llave"},
    "ex_no_node": {
        "en": "This node has no keys yet (alianza node init).",
        "es": "Este nodo aún no tiene llaves (alianza node init).",
    },
    "ex_partners": {"en": "Trusted partners", "es": "Socios de confianza"},
    "ex_no_partners": {"en": "none yet", "es": "ninguno aún"},
    "ex_revoked": {"en": "revoked", "es": "revocado"},
    "ex_late": {"en": "Late quarters", "es": "Trimestres atrasados"},
    "ex_late_rule": {
        "en": "A quarter is late when no package arrived within {days} days after its end.",
        "es": "Un trimestre está atrasado si no llegó paquete dentro de los {days} días "
        "posteriores a su cierre.",
    },
    "ex_none_late": {
        "en": "No quarter is late or missing.",
        "es": "Ningún trimestre está atrasado ni falta.",
    },
    "ex_all_quarters": {
        "en": "Every quarter in the exchange log ({n})",
        "es": "Todos los trimestres de la bitácora de intercambio ({n})",
    },
    "ex_direction": {"en": "Direction", "es": "Dirección"},
    "ex_dir_outbound": {"en": "sent by this node", "es": "enviado por este nodo"},
    "ex_dir_inbound": {"en": "received from partner", "es": "recibido del socio"},
    "ex_quarter": {"en": "Quarter", "es": "Trimestre"},
    "ex_period": {"en": "Period", "es": "Periodo"},
    "ex_kind_calendar": {"en": "calendar quarter", "es": "trimestre calendario"},
    "ex_kind_fiscal": {"en": "US fiscal quarter", "es": "trimestre fiscal de EE. UU."},
    "ex_fiscal": {
        "en": "US fiscal quarter (Q1 = Oct–Dec)",
        "es": "Trimestre fiscal de EE. UU. (T1 = oct–dic)",
    },
    "ex_fiscal_short": {"en": "fiscal", "es": "fiscal"},
    "ex_state": {"en": "State", "es": "Situación"},
    "ex_state_on-time": {"en": "on time", "es": "a tiempo"},
    "ex_state_late": {"en": "late", "es": "atrasado"},
    "ex_state_missing": {"en": "missing", "es": "falta"},
    "ex_state_not-due": {"en": "not due yet", "es": "aún no vence"},
    "ex_col_late": {"en": "Arrived late", "es": "Llegaron tarde"},
    "ex_col_missing": {"en": "Missing", "es": "Faltan"},
    "ex_built": {"en": "Built", "es": "Generado"},
    "ex_sent": {"en": "Sent", "es": "Enviado"},
    "ex_received": {"en": "Received", "es": "Recibido"},
    "ex_acknowledged": {"en": "Acknowledged", "es": "Acuse recibido"},
    "ex_outbox": {"en": "Outbox", "es": "Bandeja de salida"},
    "ex_outbox_empty": {
        "en": "No package built yet.",
        "es": "Aún no se ha generado ningún paquete.",
    },
    "ex_inbox": {"en": "Inbox", "es": "Bandeja de entrada"},
    "ex_inbox_empty": {
        "en": "No package received yet.",
        "es": "Aún no se ha recibido ningún paquete.",
    },
    "ex_version": {"en": "Version", "es": "Versión"},
    "ex_status": {"en": "Status", "es": "Estado"},
    "ex_recipients": {"en": "Sent to", "es": "Enviado a"},
    "ex_pkg_built": {"en": "built, not sent", "es": "generado, sin enviar"},
    "ex_pkg_sent": {"en": "sent, no receipt", "es": "enviado, sin acuse"},
    "ex_pkg_acknowledged": {"en": "acknowledged", "es": "con acuse"},
    "ex_pkg_received": {"en": "current", "es": "vigente"},
    "ex_pkg_superseded": {"en": "superseded", "es": "reemplazado"},
    "ex_build": {"en": "Build and sign the package", "es": "Generar y firmar el paquete"},
    "ex_signed_by": {"en": "Signed by", "es": "Firmado por"},
    "ex_verification": {"en": "Verification", "es": "Verificación"},
    "ex_verified": {"en": "verified", "es": "verificado"},
    "ex_checks_short": {
        "en": "signature, checksums, schema, code lists, quarter",
        "es": "firma, sumas de control, esquema, catálogos, trimestre",
    },
    "ex_reverified": {"en": "Re-verified", "es": "Reverificado"},
    "ex_reverify": {"en": "Verify again", "es": "Verificar de nuevo"},
    "ex_refused": {"en": "Refused packages", "es": "Paquetes rechazados"},
    "ex_junk": {
        "en": "{count} junk submissions (not a package, or not signed by a trusted partner) "
        "refused at the endpoint in the last hour; counted, not listed one by one.",
        "es": "{count} envíos basura (no son un paquete, o no los firma un socio de confianza) "
        "rechazados en el punto de recepción en la última hora; contados, no listados uno a uno.",
    },
    "ex_refused_none": {"en": "No package refused.", "es": "Ningún paquete rechazado."},
    "ex_claimed": {
        "en": "Claims to be (not verified)",
        "es": "Dice ser (sin verificar)",
    },
    "ex_reason": {"en": "Reason", "es": "Motivo"},
    "ex_file": {"en": "File", "es": "Archivo"},
    "ex_src_endpoint": {"en": "pushed by a node", "es": "enviado por un nodo"},
    "ex_src_upload": {"en": "uploaded", "es": "subido"},
    "ex_src_file": {"en": "from a file", "es": "desde archivo"},
    "ex_receive_file": {
        "en": "Package file from the partner (ZIP, at most {mb} MB)",
        "es": "Archivo del paquete del socio (ZIP, máximo {mb} MB)",
    },
    "ex_receive": {"en": "Verify and receive", "es": "Verificar y recibir"},
    "ex_code_too-large": {"en": "too large", "es": "demasiado grande"},
    "ex_code_unsigned": {"en": "unsigned", "es": "sin firma"},
    "ex_code_unknown-signer": {"en": "unknown signer", "es": "firmante desconocido"},
    "ex_code_bad-signature": {"en": "bad signature", "es": "firma inválida"},
    "ex_code_stale-version": {"en": "old version", "es": "versión anterior"},
    "ex_code_malformed": {"en": "malformed", "es": "mal formado"},
    "ex_code_unexpected-file": {"en": "unexpected file", "es": "archivo inesperado"},
    "ex_code_missing-file": {"en": "missing file", "es": "falta un archivo"},
    "ex_code_checksum-mismatch": {"en": "checksum mismatch", "es": "suma de control distinta"},
    "ex_code_bad-descriptor": {"en": "bad descriptor", "es": "descriptor inválido"},
    "ex_code_schema-violation": {"en": "schema violation", "es": "viola el esquema"},
    "ex_code_quarter-mismatch": {"en": "wrong quarter", "es": "trimestre equivocado"},
    "ex_done_built": {
        "en": "Package built, signed and kept in the outbox.",
        "es": "Paquete generado, firmado y guardado en la bandeja de salida.",
    },
    "ex_done_stored": {
        "en": "Package verified and received.",
        "es": "Paquete verificado y recibido.",
    },
    "ex_done_duplicate": {
        "en": "This package was already received; nothing changed.",
        "es": "Este paquete ya se había recibido; nada cambió.",
    },
    "ex_done_sent-stored-acknowledged": {
        "en": "Sent: the partner stored it and its signed receipt was verified.",
        "es": "Enviado: el socio lo guardó y se verificó su acuse firmado.",
    },
    "ex_done_sent-duplicate-acknowledged": {
        "en": "Sent: the partner already held it; its signed receipt was verified.",
        "es": "Enviado: el socio ya lo tenía; se verificó su acuse firmado.",
    },
    "ex_done_sent-stored": {
        "en": "Sent and stored by the partner, but its receipt did NOT verify.",
        "es": "Enviado y guardado por el socio, pero su acuse NO se verificó.",
    },
    "ex_done_sent-duplicate": {
        "en": "Sent (the partner already held it), but its receipt did NOT verify.",
        "es": "Enviado (el socio ya lo tenía), pero su acuse NO se verificó.",
    },
    "ex_done_reverified-ok": {
        "en": "Verified again: every check passed.",
        "es": "Verificado de nuevo: todas las comprobaciones pasaron.",
    },
    "ex_done_reverified-failed": {
        "en": "Verified again: the package no longer passes (see the log).",
        "es": "Verificado de nuevo: el paquete ya no pasa (vea la bitácora).",
    },
    "ex_package": {"en": "Package", "es": "Paquete"},
    "ex_about": {"en": "About this package", "es": "Datos del paquete"},
    "ex_extracted": {"en": "Extracted", "es": "Extraído"},
    "ex_superseded": {"en": "Superseded", "es": "Reemplazado"},
    "ex_size": {"en": "Size", "es": "Tamaño"},
    "ex_download": {"en": "Download the package (ZIP)", "es": "Descargar el paquete (ZIP)"},
    "ex_check_signature": {
        "en": "Ed25519 signature of a trusted key",
        "es": "Firma Ed25519 de una llave de confianza",
    },
    "ex_check_checksums": {
        "en": "SHA-256 of every file, none missing or extra",
        "es": "SHA-256 de cada archivo, sin faltantes ni sobrantes",
    },
    "ex_check_descriptor": {
        "en": "Descriptor (node, country, quarter, version)",
        "es": "Descriptor (nodo, país, trimestre, versión)",
    },
    "ex_check_schema": {"en": "SDMX-CSV table structure", "es": "Estructura de tablas SDMX-CSV"},
    "ex_check_code_lists": {"en": "Code lists", "es": "Catálogos"},
    "ex_check_quarter": {
        "en": "Every observation of the package's quarter",
        "es": "Cada observación del trimestre del paquete",
    },
    "ex_checks_when_inbound": {
        "en": "All passed when it was received: a package that fails any check is refused and "
        "never stored.",
        "es": "Todas pasaron al recibirlo: un paquete que falla alguna se rechaza y nunca se "
        "guarda.",
    },
    "ex_checks_when_outbound": {
        "en": "All passed when it was built (the node verifies its own package).",
        "es": "Todas pasaron al generarlo (el nodo verifica su propio paquete).",
    },
    "ex_content": {"en": "Content", "es": "Contenido"},
    "ex_table": {"en": "Table", "es": "Tabla"},
    "ex_observations": {"en": "Observations", "es": "Observaciones"},
    "ex_tbl_totals": {"en": "Totals by drug", "es": "Totales por droga"},
    "ex_tbl_by_location": {"en": "By location", "es": "Por ubicación"},
    "ex_tbl_by_concealment": {"en": "By concealment", "es": "Por ocultamiento"},
    "ex_tbl_transport_methods": {"en": "Transport methods", "es": "Medios de transporte"},
    "ex_totals": {"en": "Totals per drug", "es": "Totales por droga"},
    "ex_drug": {"en": "Drug", "es": "Droga"},
    "ex_seizures": {"en": "Seizures", "es": "Aseguramientos"},
    "ex_not_reported": {"en": "not reported", "es": "no reportado"},
    "ex_kg_partial": {
        "en": "leaves out records without a mass (counted in units)",
        "es": "excluye registros sin masa (contados en unidades)",
    },
    "ex_unit_TABLET": {"en": "tablets", "es": "tabletas"},
    "ex_unit_AMPOULE": {"en": "ampoules", "es": "ampolletas"},
    "ex_unit_DOSE": {"en": "doses", "es": "dosis"},
    "ex_unit_PLANT": {"en": "plants", "es": "plantas"},
    "ex_coverage": {"en": "Coverage notes", "es": "Notas de cobertura"},
    "ex_log": {"en": "Exchange log", "es": "Bitácora de intercambio"},
    "ex_detail": {"en": "Detail", "es": "Detalle"},
    "ex_ev_built": {"en": "built", "es": "generado"},
    "ex_ev_sent": {"en": "sent", "es": "enviado"},
    "ex_ev_received": {"en": "received", "es": "recibido"},
    "ex_ev_acknowledged": {"en": "acknowledged", "es": "acuse recibido"},
    "ex_ev_reverified": {"en": "verified again", "es": "verificado de nuevo"},
    "ex_send": {"en": "Send to the partner", "es": "Enviar al socio"},
    "ex_show": {"en": "Show", "es": "Mostrar"},
    "ex_country_US": {"en": "United States", "es": "Estados Unidos"},
    "ex_country_MX": {"en": "Mexico", "es": "México"},
    "ex_tables_present": {"en": "tables present", "es": "tablas disponibles"},
    "ex_no_tables": {
        "en": "no package for this quarter",
        "es": "sin paquete para este trimestre",
    },
    "ex_own_side": {"en": "this node", "es": "este nodo"},
    "ex_sec_totals": {"en": "Totals by drug and country", "es": "Totales por droga y país"},
    "ex_sec_corridors": {
        "en": "By border corridor (paired ports side by side)",
        "es": "Por corredor fronterizo (puertos pareados lado a lado)",
    },
    "ex_sec_concealment": {"en": "By concealment type", "es": "Por tipo de ocultamiento"},
    "ex_sec_transport": {
        "en": "Transport methods most used and the drugs they carry",
        "es": "Medios de transporte más usados y las drogas que transportan",
    },
    "ex_sec_trend": {
        "en": "Trend over the last eight quarters",
        "es": "Tendencia de los últimos ocho trimestres",
    },
    "ex_corridor": {"en": "Corridor", "es": "Corredor"},
    "ex_concealment": {"en": "Concealment", "es": "Ocultamiento"},
    "ex_mode": {"en": "Transport mode", "es": "Medio de transporte"},
    "ex_carries": {"en": "Drugs carried (seizures)", "es": "Drogas transportadas (aseguramientos)"},
    "ex_no_modes": {
        "en": "No transport mode reported.",
        "es": "No se reportó medio de transporte.",
    },
    "ex_note_counts": {
        "en": "Seizures are counted as each source counts them (CBP: monthly counts per drug).",
        "es": "Los aseguramientos se cuentan como cada fuente los cuenta (CBP: conteos "
        "mensuales por droga).",
    },
    "ex_note_unknown": {
        "en": "'Not reported' is not zero: CBP's public files have no concealment or transport "
        "mode.",
        "es": "'No reportado' no es cero: los archivos públicos de CBP no tienen ocultamiento ni "
        "medio de transporte.",
    },
    "ex_err_keys": {
        "en": "This node's keys cannot be used: {error}",
        "es": "No se pueden usar las llaves de este nodo: {error}",
    },
    "ex_err_quarter": {
        "en": "{value!r} is not a quarter like 2019-Q1",
        "es": "{value!r} no es un trimestre como 2019-Q1",
    },
    "ex_err_refused": {
        "en": "The package was not delivered: the partner's node refused it ({summary}).",
        "es": "El paquete no se entregó: el nodo del socio lo rechazó ({summary}).",
    },
    "ex_err_unreachable": {
        "en": "The package was not delivered: could not reach the partner's node.",
        "es": "El paquete no se entregó: no se pudo contactar el nodo del socio.",
    },
    "ex_err_partner": {
        "en": "That is not a trusted partner with a registered address "
        "(alianza node set-url PARTNER https://…).",
        "es": "No es un socio de confianza con una dirección registrada "
        "(alianza node set-url SOCIO https://…).",
    },
    "ex_send_to": {"en": "Partner node", "es": "Nodo del socio"},
    "ex_no_endpoint": {
        "en": "No trusted partner has a registered address: alianza node set-url PARTNER https://…",
        "es": "Ningún socio de confianza tiene una dirección registrada: "
        "alianza node set-url SOCIO https://…",
    },
    "ex_cov_country": {"en": "country", "es": "país"},
    "ex_cov_quarter": {"en": "quarter", "es": "trimestre"},
    "ex_cov_period_kind": {"en": "kind of period", "es": "tipo de periodo"},
    "ex_cov_releasability": {"en": "releasability", "es": "difusión"},
    "ex_cov_regions": {"en": "regions", "es": "regiones"},
    "ex_cov_counting": {"en": "counting", "es": "conteo"},
    "ex_cov_not_reported": {"en": "not reported", "es": "no reportado"},
    "ex_cov_notes": {"en": "notes", "es": "notas"},
    "ex_cov_time_period": {
        "en": "calendar quarter (TIME_PERIOD)",
        "es": "trimestre calendario (TIME_PERIOD)",
    },
    "ex_cov_records_without_kg": {"en": "records without a mass", "es": "registros sin masa"},
    "ex_cov_location_names": {"en": "place names", "es": "nombres de lugares"},
    "ex_cov_signed": {
        "en": "As written in the package's coverage.json (signed by its sender, not translated).",
        "es": "Tal como vienen en el coverage.json del paquete (firmado por quien lo envía; sin "
        "traducir).",
    },
    "ex_edition_h": {"en": "The joint edition", "es": "La edición conjunta"},
    "ex_edition_lead": {
        "en": "The figures on this page are those of the downloads: the packages both nodes "
        "hold, assembled alike on each node. Both governments sign its content hash:",
        "es": "Las cifras de esta página son las de las descargas: los paquetes que ambos nodos "
        "tienen, ensamblados igual en cada nodo. Ambos gobiernos firman su hash de contenido:",
    },
    "ex_working_lead": {
        "en": "Working view from this node's own records, not the joint edition: its figures "
        "may differ from the downloads, and it cannot be signed.",
        "es": "Vista de trabajo con los registros propios de este nodo, no la edición conjunta: "
        "sus cifras pueden diferir de las descargas y no se puede firmar.",
    },
    "ex_view_edition": {"en": "Joint edition", "es": "Edición conjunta"},
    "ex_view_records": {
        "en": "Working view (this node's records)",
        "es": "Vista de trabajo (registros de este nodo)",
    },
    "ex_no_own_package": {
        "en": "This node's package for {quarter} has not been built: the edition has no "
        "{country} figures. Build it on the Exchange page, or see the working view.",
        "es": "El paquete de este nodo para {quarter} no se ha generado: la edición no tiene "
        "cifras de {country}. Genérelo en la página de Intercambio, o vea la vista de trabajo.",
    },
    "ex_signatures_h": {"en": "Signatures", "es": "Firmas"},
    "ex_col_government": {"en": "Government", "es": "Gobierno"},
    "ex_col_state": {"en": "State", "es": "Estado"},
    "ex_col_node": {"en": "Node and key", "es": "Nodo y llave"},
    "ex_col_when": {"en": "Kept on (UTC)", "es": "Registrada el (UTC)"},
    "ex_col_via": {"en": "Arrived", "es": "Llegó"},
    "ex_sig_signed": {"en": "signed this edition", "es": "firmó esta edición"},
    "ex_sig_missing": {"en": "not signed yet", "es": "sin firmar aún"},
    "ex_sig_via_own": {"en": "signed on this node", "es": "firmada en este nodo"},
    "ex_sig_via_message": {
        "en": "signed cycle message from the partner node",
        "es": "mensaje de ciclo firmado del nodo socio",
    },
    "ex_sig_via_file": {"en": "signature file, verified", "es": "archivo de firma, verificado"},
    "ex_sig_both": {
        "en": "Both governments signed this edition.",
        "es": "Ambos gobiernos firmaron esta edición.",
    },
    "ex_sig_other": {
        "en": "{country} signed another content ({hash}…) on {date}: not this edition.",
        "es": "{country} firmó otro contenido ({hash}…) el {date}: no esta edición.",
    },
    "ex_sign_button": {
        "en": "Sign this edition for {country}",
        "es": "Firmar esta edición por {country}",
    },
    "ex_scope_h": {"en": "Scope and provenance", "es": "Ámbito y procedencia"},
    "ex_scope_lead": {
        "en": "Each side's figures: the bilateral records of its side of the common border in "
        "calendar quarter {quarter}, as its package counts them.",
        "es": "Las cifras de cada lado: los registros bilaterales de su lado de la frontera común "
        "en el trimestre calendario {quarter}, como los cuenta su paquete.",
    },
    "ex_scope_named": {"en": "named scope", "es": "ámbito con nombre"},
    "ex_downloads_h": {"en": "Downloads", "es": "Descargas"},
    "ex_download_lang": {"en": "Edition", "es": "Edición"},
}
