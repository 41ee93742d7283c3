"""Interface strings of the ports pages (English and Spanish)."""

from __future__ import annotations

from alianza.ports.reference import WEEKDAY_NOTE, WEEKDAYS

STRINGS: dict[str, dict[str, str]] = {
    "po_ports_title": {"en": "Ports of entry", "es": "Puertos de entrada"},
    "po_ports_intro": {
        "en": (
            "Port pairs, their counterpart directory, drills and the communication measures "
            "(action 10.6); the analysis of port services (10.7)."
        ),
        "es": (
            "Pares de puertos, su directorio de contrapartes, simulacros y las medidas de "
            "comunicación (acción 10.6); el análisis de los servicios portuarios (10.7)."
        ),
    },
    "po_alerts_title": {"en": "Counterpart alerts", "es": "Alertas a la contraparte"},
    "po_alerts_intro": {
        "en": "Alerts between paired ports. This node speaks for the {side} side.",
        "es": "Alertas entre puertos pareados. Este nodo habla por el lado {side}.",
    },
    "po_live_off": {
        "en": "Live updates need JavaScript: reload to see new alerts.",
        "es": "Las actualizaciones en vivo requieren JavaScript: recargue para ver alertas nuevas.",
    },
    "po_live_connecting": {
        "en": "Connecting for live alerts…",
        "es": "Conectando alertas en vivo…",
    },
    "po_live_on": {
        "en": "Live: new alerts appear here at once.",
        "es": "En vivo: las alertas nuevas aparecen aquí al instante.",
    },
    "po_live_lost": {
        "en": "Connection lost; reconnecting (nothing will be missed).",
        "es": "Conexión perdida; reconectando (no se perderá nada).",
    },
    "po_sent_notice_queued": {
        "en": (
            "Alert queued for the counterpart port; it leaves as soon as the partner node answers."
        ),
        "es": "Alerta en cola para el puerto contraparte; sale en cuanto responda el nodo socio.",
    },
    "po_sent_notice_carried": {
        "en": "Alert sent and carried to the partner node; not acknowledged yet.",
        "es": "Alerta enviada y entregada al nodo socio; aún sin acuse.",
    },
    "po_sent_notice_acknowledged": {
        "en": "Alert sent, carried to the partner node and acknowledged by {name}.",
        "es": "Alerta enviada, entregada al nodo socio y con acuse de {name}.",
    },
    "po_inbox": {"en": "Received", "es": "Recibidas"},
    "po_outbox": {"en": "Sent", "es": "Enviadas"},
    "po_inbox_empty": {"en": "No alert received.", "es": "Ninguna alerta recibida."},
    "po_outbox_empty": {"en": "No alert sent.", "es": "Ninguna alerta enviada."},
    "po_pair_with": {"en": "paired with", "es": "pareado con"},
    "po_created": {"en": "sent", "es": "enviada"},
    "po_delivered": {"en": "received", "es": "recibida"},
    "po_carried": {"en": "carried to the partner node", "es": "entregada al nodo socio"},
    "po_queued": {"en": "waiting in the outbox", "es": "en espera en la bandeja de salida"},
    "po_acknowledged": {"en": "Acknowledged", "es": "Acusada"},
    "po_unacknowledged": {"en": "Not acknowledged", "es": "Sin acuse"},
    "po_escalated": {"en": "(escalated, level {level})", "es": "(escalada, nivel {level})"},
    "po_state_queued": {"en": "Queued", "es": "En cola"},
    "po_state_delivered": {"en": "Delivered", "es": "Entregada"},
    "po_state_escalated": {"en": "Escalated", "es": "Escalada"},
    "po_state_acknowledged": {"en": "Acknowledged", "es": "Acusada"},
    "po_state_expired": {"en": "Expired", "es": "Caducada"},
    "po_severity": {"en": "Severity", "es": "Severidad"},
    "po_severity_info": {"en": "Information", "es": "Información"},
    "po_severity_warning": {"en": "Warning", "es": "Advertencia"},
    "po_severity_critical": {"en": "Critical", "es": "Crítica"},
    "po_priority": {"en": "Priority", "es": "Prioridad"},
    "po_priority_urgent": {"en": "urgent", "es": "urgente"},
    "po_priority_high": {"en": "high", "es": "alta"},
    "po_priority_routine": {"en": "routine", "es": "ordinaria"},
    "po_expires": {"en": "expires", "es": "caduca"},
    "po_expires_minutes": {
        "en": "Expires after (minutes, optional)",
        "es": "Caduca tras (minutos, opcional)",
    },
    "po_request": {
        "en": "A request: answer due by its priority (urgent 8 h, high 3 days, routine 7 days)",
        "es": "Una solicitud: respuesta debida según su prioridad (urgente 8 h, alta 3 días, "
        "ordinaria 7 días)",
    },
    "po_due": {"en": "answer due ({priority})", "es": "respuesta debida ({priority})"},
    "po_breached": {"en": "Overdue", "es": "Vencida"},
    "po_delay_reason": {"en": "reason for the delay", "es": "motivo del retraso"},
    "po_delay_reason_ask": {
        "en": "Reason for the delay (past the answer's due time)",
        "es": "Motivo del retraso (pasado el plazo de respuesta)",
    },
    "po_ack_refused": {"en": "Not acknowledged:", "es": "No se acusó recibo:"},
    "po_notify_enable": {
        "en": "Notify me on this computer (notification and sound)",
        "es": "Avisarme en esta computadora (notificación y sonido)",
    },
    "po_notify_title": {"en": "Alianza: new alert", "es": "Alianza: nueva alerta"},
    "po_ended": {"en": "ended", "es": "terminada"},
    "po_partner_directory": {
        "en": "The partner's directory (as it published it)",
        "es": "Directorio de la contraparte (tal como lo publicó)",
    },
    "po_acknowledge": {"en": "Acknowledge", "es": "Acusar recibo"},
    "po_addressed_to": {"en": "Addressed to", "es": "Dirigida a"},
    "po_escalated_to_you": {"en": "Escalated to you", "es": "Escalada a usted"},
    "po_escalated_counterpart": {
        "en": "Escalated on the other side to the {role} (level {level})",
        "es": "Escalada del otro lado a: {role} (nivel {level})",
    },
    "po_new_alert": {"en": "new", "es": "nueva"},
    "po_nominal": {"en": "Nominal", "es": "Nominativo"},
    "po_nominal_help": {
        "en": "plates, names: kept apart, shared only if ticked, never exported",
        "es": (
            "placas, nombres: se guardan aparte, se comparten solo si se marca, nunca se exportan"
        ),
    },
    "po_nominal_plate": {"en": "Plate", "es": "Placa"},
    "po_nominal_name": {"en": "Name", "es": "Nombre"},
    "po_share_nominal": {
        "en": "Share the nominal details with the counterpart port",
        "es": "Compartir los datos nominativos con el puerto contraparte",
    },
    "po_send_refused": {"en": "The alert was not sent:", "es": "La alerta no se envió:"},
    "po_send_title": {"en": "Send an alert", "es": "Enviar una alerta"},
    "po_send": {"en": "Send alert", "es": "Enviar alerta"},
    "po_port": {"en": "US port of the pair", "es": "Puerto estadounidense del par"},
    "po_template": {"en": "Template", "es": "Plantilla"},
    "po_free_text": {"en": "Free text", "es": "Texto libre"},
    "po_field_lane": {"en": "Lane", "es": "Carril"},
    "po_field_lanes": {"en": "Lanes closed", "es": "Carriles cerrados"},
    "po_field_until": {"en": "Until", "es": "Hasta"},
    "po_field_vehicle": {"en": "Vehicle", "es": "Vehículo"},
    "po_field_direction": {"en": "Direction", "es": "Dirección"},
    "po_field_location": {"en": "Location", "es": "Lugar"},
    "po_pairs": {"en": "Port pairs", "es": "Pares de puertos"},
    "po_no_pairs": {
        "en": "No port pair yet: sending an alert or adding a contact creates one.",
        "es": "Aún no hay pares: enviar una alerta o agregar un contacto crea uno.",
    },
    "po_directory": {"en": "Directory", "es": "Directorio"},
    "po_side": {"en": "Side", "es": "Lado"},
    "po_position": {"en": "Order", "es": "Orden"},
    "po_role": {"en": "Role", "es": "Función"},
    "po_contact_name": {"en": "Name (nominal)", "es": "Nombre (nominativo)"},
    "po_shift": {"en": "Shift (port time)", "es": "Turno (hora del puerto)"},
    "po_channels": {"en": "Channels", "es": "Canales"},
    "po_no_contacts": {"en": "No contact recorded.", "es": "Ningún contacto registrado."},
    "po_drills": {"en": "Drills", "es": "Simulacros"},
    "po_no_drills": {"en": "No drill scheduled.", "es": "Ningún simulacro programado."},
    "po_scheduled": {"en": "Scheduled", "es": "Programado"},
    "po_channel": {"en": "Channel", "es": "Canal"},
    "po_chan_radio": {"en": "radio", "es": "radio"},
    "po_chan_telephone": {"en": "telephone", "es": "teléfono"},
    "po_chan_messaging": {"en": "messaging", "es": "mensajería"},
    "po_chan_email": {"en": "email", "es": "correo electrónico"},
    "po_chan_webhook": {"en": "webhook", "es": "webhook"},
    "po_chan_sms": {"en": "SMS", "es": "SMS"},
    "po_chan_browser": {"en": "browser", "es": "navegador"},
    "po_result": {"en": "Result", "es": "Resultado"},
    "po_passed": {"en": "passed", "es": "aprobado"},
    "po_failed": {"en": "failed", "es": "reprobado"},
    "po_pending": {"en": "not held yet", "es": "aún no realizado"},
    "po_seconds_to_answer": {"en": "{seconds} s to answer", "es": "{seconds} s en responder"},
    "po_measures": {"en": "Communication measures (PME)", "es": "Medidas de comunicación (PME)"},
    "po_measures_note": {
        "en": (
            "Per pair and calendar quarter of delivery. Time to acknowledge: from delivery to "
            "acknowledgement, median and 90th percentile (nearest rank)."
        ),
        "es": (
            "Por par y trimestre calendario de entrega. Tiempo de acuse: de la entrega al acuse, "
            "mediana y percentil 90 (rango más cercano)."
        ),
    },
    "po_no_measures": {"en": "No alert or drill yet.", "es": "Aún no hay alertas ni simulacros."},
    "po_pair": {"en": "Pair", "es": "Par"},
    "po_quarter": {"en": "Quarter", "es": "Trimestre"},
    "po_alerts_delivered": {"en": "Alerts delivered", "es": "Alertas entregadas"},
    "po_alerts_acked": {"en": "Acknowledged", "es": "Con acuse"},
    "po_median_ack": {"en": "Median to ack. (min)", "es": "Mediana al acuse (min)"},
    "po_p90_ack": {"en": "90th pct. (min)", "es": "Percentil 90 (min)"},
    "po_within_5": {"en": "Acked within 5 min", "es": "Acuse en 5 min"},
    "po_drills_held": {"en": "Drills held", "es": "Simulacros realizados"},
    "po_drills_passed": {"en": "Drills passed", "es": "Simulacros aprobados"},
    "po_analysis": {"en": "Analysis", "es": "Análisis"},
    "po_analysis_title": {
        "en": "{port}: port services analysis",
        "es": "{port}: análisis de servicios portuarios",
    },
    "po_volumes": {
        "en": "Inbound volumes by mode, per year",
        "es": "Volúmenes de entrada por modo, por año",
    },
    "po_volumes_note": {
        "en": (
            "BTS Border Crossing Entry Data; a year with fewer than 12 months reported is marked *."
        ),
        "es": (
            "Datos de cruces fronterizos de BTS; un año con menos de 12 meses reportados se marca"
            " con *."
        ),
    },
    "po_no_volumes": {
        "en": "No BTS crossings held for this port: `alianza ports import`.",
        "es": "No hay cruces BTS para este puerto: `alianza ports import`.",
    },
    "po_year": {"en": "Year", "es": "Año"},
    "po_seasonality": {
        "en": "Seasonality (personal vehicles)",
        "es": "Estacionalidad (vehículos particulares)",
    },
    "po_seasonality_note": {
        "en": (
            "The month's volume over its year's monthly mean, averaged over complete years (1 = "
            "an average month)."
        ),
        "es": (
            "Volumen del mes sobre la media mensual de su año, promediado en años completos (1 = "
            "un mes promedio)."
        ),
    },
    "po_month": {"en": "Month", "es": "Mes"},
    "po_index": {"en": "Index", "es": "Índice"},
    "po_trend": {
        "en": "Trend of complete years {first}–{last}: {change} % a year.",
        "es": "Tendencia de años completos {first}–{last}: {change} % al año.",
    },
    "po_waits": {
        "en": "Wait times (crossing {crossing}, passenger lanes)",
        "es": "Tiempos de espera (cruce {crossing}, carriles de pasajeros)",
    },
    "po_waits_hour": {
        "en": "Mean wait by hour of day (minutes)",
        "es": "Espera media por hora del día (minutos)",
    },
    "po_waits_grid": {
        "en": "Mean wait by weekday and hour (minutes)",
        "es": "Espera media por día y hora (minutos)",
    },
    "po_no_waits": {
        "en": "No CBP wait times held for this crossing.",
        "es": "No hay tiempos de espera de CBP para este cruce.",
    },
    "po_hour": {"en": "Hour", "es": "Hora"},
    "po_weekday": {"en": "Weekday", "es": "Día"},
    "po_axis_year": {"en": "Year", "es": "Año"},
    "po_axis_crossings": {"en": "Crossings a year (number)", "es": "Cruces al año (número)"},
    "po_axis_month": {"en": "Month", "es": "Mes"},
    "po_axis_index": {"en": "Index (1 = average month)", "es": "Índice (1 = mes promedio)"},
    "po_axis_hour": {"en": "Hour of day", "es": "Hora del día"},
    "po_axis_wait": {"en": "Mean wait (minutes)", "es": "Espera media (minutos)"},
    "po_minutes": {"en": "Minutes", "es": "Minutos"},
    "po_model": {"en": "Crossing model: what-ifs", "es": "Modelo del cruce: escenarios"},
    "po_model_note": {
        "en": (
            "A queue per hour of the week (Kingman, heavy traffic), {lanes} effective lanes "
            "({year} volumes, 60 s per inspection). Each month left out, its hourly waits "
            "predicted from its volume: error {mae} min, against {naive} min for the other "
            "months' mean at the same hour. Scenarios keep demand as it is (no demand "
            "response): upper bounds of the benefit."
        ),
        "es": (
            "Una cola por hora de la semana (Kingman, tráfico denso), {lanes} carriles efectivos"
            " (volúmenes de {year}, 60 s por revisión). Dejando fuera cada mes, sus esperas por"
            " hora predichas con su volumen: error de {mae} min, frente a {naive} min de la "
            "media de los otros meses a la misma hora. Los escenarios mantienen la demanda (sin"
            " respuesta de la demanda): cotas superiores del beneficio."
        ),
    },
    "po_scenario": {"en": "Scenario", "es": "Escenario"},
    "po_mean_wait": {"en": "Mean wait (min)", "es": "Espera media (min)"},
    "po_peak_wait": {"en": "Peak wait (min)", "es": "Espera máxima (min)"},
    "po_no_model": {
        "en": "The model needs the crossing's waits and a year of BTS volumes.",
        "es": "El modelo necesita las esperas del cruce y un año de volúmenes BTS.",
    },
    "po_chart_of": {
        "en": "Chart; the same figures are in the table below.",
        "es": "Gráfica; las mismas cifras están en la tabla siguiente.",
    },
    "po_mode_trucks": {"en": "Trucks", "es": "Camiones"},
    "po_mode_rail-containers": {"en": "Rail containers", "es": "Contenedores ferroviarios"},
    "po_mode_personal-vehicles": {"en": "Personal vehicles", "es": "Vehículos particulares"},
    "po_mode_pedestrians": {"en": "Pedestrians", "es": "Peatones"},
    "po_mode_buses": {"en": "Buses", "es": "Autobuses"},
}
# weekday names and the note on CBP's numbering: one source with the documents and the CLI
STRINGS |= {f"po_weekday_{n}": {"en": en, "es": es} for n, (en, es) in enumerate(WEEKDAYS)}
STRINGS["po_weekday_note"] = {"en": WEEKDAY_NOTE[0], "es": WEEKDAY_NOTE[1]}
