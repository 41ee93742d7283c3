"""Interface strings of the risk pages (English and Spanish)."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "rk_title": {"en": "Shipment targeting", "es": "Selección de envíos de riesgo"},
    "rk_intro": {
        "en": "Action 10.8: rules, watchlists and calibrated scores assign each batch of "
        "shipments to inspection lanes within capacity; a random control slice measures the "
        "true violation rate.",
        "es": "Acción 10.8: reglas, listas de vigilancia y puntuaciones calibradas asignan cada "
        "lote de envíos a carriles de inspección dentro de su capacidad; una muestra aleatoria "
        "de control mide la tasa real de infracciones.",
    },
    "rk_extra_missing": {
        "en": "Scoring, selection and explanations need the optional risk extra on this node "
        "(pip install 'alianza[risk]'). What is stored is still shown.",
        "es": "La puntuación, la selección y las explicaciones necesitan el complemento "
        "opcional de riesgo en este nodo (pip install 'alianza[risk]'). Lo almacenado se "
        "sigue mostrando.",
    },
    "rk_rules_link": {"en": "Rules and watchlists", "es": "Reglas y listas de vigilancia"},
    "rk_model": {"en": "Model", "es": "Modelo"},
    "rk_model_active": {"en": "Active model {id}", "es": "Modelo activo {id}"},
    "rk_trained": {"en": "trained on", "es": "entrenado con"},
    "rk_calibrated": {"en": "calibrated on", "es": "calibrado con"},
    "rk_ece": {"en": "Calibration error", "es": "Error de calibración"},
    "rk_no_model": {
        "en": "No model has been trained yet (alianza risk train).",
        "es": "Aún no se ha entrenado ningún modelo (alianza risk train).",
    },
    "rk_schedule": {
        "en": "Retraining every {every} days, or after {labels} new outcomes; the last {days} "
        "days of outcomes calibrate.",
        "es": "Reentrenamiento cada {every} días, o tras {labels} resultados nuevos; los "
        "últimos {days} días de resultados calibran.",
    },
    "rk_measured_on": {
        "en": "Measured on its calibration period, {start} – {end}.",
        "es": "Medido en su periodo de calibración, {start} – {end}.",
    },
    "rk_schedule_period": {
        "en": "Retraining every {every} days when new outcomes arrived; the last {days} days "
        "of outcomes calibrate.",
        "es": "Reentrenamiento cada {every} días si llegaron resultados nuevos; los últimos "
        "{days} días de resultados calibran.",
    },
    "rk_schedule_default": {"en": "default schedule", "es": "calendario predeterminado"},
    "rk_hit_rate": {"en": "Random-slice hit rate", "es": "Tasa de aciertos de la muestra"},
    "rk_hit_rate_note": {
        "en": "Violations found among randomly drawn inspections, per month of declaration, "
        "with a 95 % interval: the only unbiased estimate of the violation rate.",
        "es": "Infracciones halladas en las inspecciones sorteadas, por mes de declaración, "
        "con un intervalo del 95 %: la única estimación sin sesgo de la tasa de infracciones.",
    },
    "rk_period": {"en": "Period", "es": "Periodo"},
    "rk_drawn": {"en": "Drawn", "es": "Sorteados"},
    "rk_inspected": {"en": "With outcome", "es": "Con resultado"},
    "rk_rate": {"en": "Hit rate", "es": "Tasa"},
    "rk_interval": {"en": "95 % interval", "es": "Intervalo 95 %"},
    "rk_no_slices": {
        "en": "No random-control inspections yet.",
        "es": "Aún no hay inspecciones aleatorias de control.",
    },
    "rk_drift": {"en": "Drift monitors", "es": "Monitores de deriva"},
    "rk_drift_note": {
        "en": "Population stability index of each feature from {reference} to {current} "
        "(computed at the last retraining).",
        "es": "Índice de estabilidad poblacional de cada variable de {reference} a {current} "
        "(calculado en el último reentrenamiento).",
    },
    "rk_feature": {"en": "Feature", "es": "Variable"},
    "rk_level": {"en": "Level", "es": "Nivel"},
    "rk_drift_stable": {"en": "stable", "es": "estable"},
    "rk_drift_watch": {"en": "watch", "es": "vigilar"},
    "rk_drift_shifted": {"en": "shifted", "es": "desplazada"},
    "rk_drift_rate": {
        "en": "Random-slice hit rate {before} ({before_n}) → {after} ({after_n}), "
        "two-proportion test p = {p}.",
        "es": "Tasa de la muestra aleatoria {before} ({before_n}) → {after} ({after_n}), "
        "prueba de dos proporciones p = {p}.",
    },
    "rk_drift_history": {"en": "At each retraining", "es": "En cada reentrenamiento"},
    "rk_drift_history_note": {
        "en": "Counts among the 15 features that moved most at each retraining.",
        "es": "Recuentos entre las 15 variables que más cambiaron en cada reentrenamiento.",
    },
    "rk_largest": {"en": "Largest", "es": "Mayor"},
    "rk_withdrawn": {"en": "withdrawn", "es": "retirado"},
    "rk_no_drift": {
        "en": "No drift report yet: it is computed when a model is retrained.",
        "es": "Aún no hay informe de deriva: se calcula al reentrenar un modelo.",
    },
    "rk_selections": {"en": "Selections", "es": "Selecciones"},
    "rk_selection_n": {"en": "Selection {id}", "es": "Selección {id}"},
    "rk_batch": {"en": "Batch", "es": "Lote"},
    "rk_lanes": {"en": "Lanes", "es": "Carriles"},
    "rk_no_selections": {"en": "No selections yet.", "es": "Aún no hay selecciones."},
    "rk_select": {"en": "Select a batch", "es": "Seleccionar un lote"},
    "rk_select_note": {
        "en": "Mandatory rule hits first, then the random control slice, then the highest "
        "scores, within each lane's capacity. Rules and watchlists held on this node apply.",
        "es": "Primero los aciertos de reglas obligatorias, luego la muestra aleatoria de "
        "control y después las puntuaciones más altas, dentro de la capacidad de cada carril. "
        "Se aplican las reglas y listas de este nodo.",
    },
    "rk_from": {"en": "Declared from", "es": "Declarados desde"},
    "rk_to": {"en": "Declared to", "es": "Declarados hasta"},
    "rk_port": {"en": "Port (office), optional", "es": "Puerto (aduana), opcional"},
    "rk_lane_physical": {"en": "Physical exam", "es": "Revisión física"},
    "rk_lane_non-intrusive": {"en": "Non-intrusive exam", "es": "Revisión no intrusiva"},
    "rk_lane_documentary": {"en": "Documentary check", "es": "Revisión documental"},
    "rk_lane_release": {"en": "Release", "es": "Liberación"},
    "rk_random_share": {
        "en": "Random control share (0–1)",
        "es": "Proporción aleatoria de control (0–1)",
    },
    "rk_seed": {"en": "Random seed", "es": "Semilla aleatoria"},
    "rk_factors_raising": {
        "en": "Factors raising the score",
        "es": "Factores que elevan la puntuación",
    },
    "rk_factors_lowering": {
        "en": "Factors lowering the score",
        "es": "Factores que reducen la puntuación",
    },
    "rk_not_scored": {
        "en": "This shipment is not among the declarations the model scores yet.",
        "es": "Este envío aún no está entre las declaraciones que el modelo puntúa.",
    },
    "rk_released_hits": {
        "en": "Released despite a rule or watchlist hit",
        "es": "Liberados pese a un acierto de regla o lista de vigilancia",
    },
    "rk_replace": {
        "en": "Reason to select this batch again (only if already selected)",
        "es": "Motivo para volver a seleccionar este lote (solo si ya fue seleccionado)",
    },
    "rk_already_selected": {
        "en": "This batch was already selected. To select it again, give the reason.",
        "es": "Este lote ya fue seleccionado. Para seleccionarlo de nuevo, indique el motivo.",
    },
    "rk_select_button": {"en": "Select and record", "es": "Seleccionar y registrar"},
    "rk_no_lanes": {
        "en": "Give at least one lane a capacity.",
        "es": "Asigne capacidad a al menos un carril.",
    },
    "rk_bad_period": {
        "en": "The last day is before the first.",
        "es": "El último día es anterior al primero.",
    },
    "rk_nothing_to_score": {
        "en": "No shipments were declared in that period (at that port).",
        "es": "No se declararon envíos en ese periodo (en ese puerto).",
    },
    "rk_quarantine": {
        "en": "Refused declaration rows (quarantine)",
        "es": "Filas de declaraciones rechazadas (cuarentena)",
    },
    "rk_file": {"en": "File", "es": "Archivo"},
    "rk_row": {"en": "Row", "es": "Fila"},
    "rk_reference": {"en": "Declaration", "es": "Declaración"},
    "rk_issues": {"en": "Reasons", "es": "Motivos"},
    "rk_selection_meta": {
        "en": "Model {model}, seed {seed}, random control {share} % of each lane, by {who}.",
        "es": "Modelo {model}, semilla {seed}, control aleatorio {share} % de cada carril, "
        "por {who}.",
    },
    "rk_lane": {"en": "Lane", "es": "Carril"},
    "rk_used": {"en": "Used / capacity", "es": "Usado / capacidad"},
    "rk_reason": {"en": "Reason", "es": "Motivo"},
    "rk_reason_mandatory": {"en": "Mandatory rule hit", "es": "Regla obligatoria"},
    "rk_reason_random-control": {"en": "Random control", "es": "Control aleatorio"},
    "rk_reason_critical-score": {"en": "Critical score", "es": "Puntuación crítica"},
    "rk_reason_score": {"en": "Score", "es": "Puntuación"},
    "rk_reason_release": {"en": "Released", "es": "Liberado"},
    "rk_selected": {"en": "Selected shipments", "es": "Envíos seleccionados"},
    "rk_all_lanes": {"en": "all lanes", "es": "todos los carriles"},
    "rk_p_violation": {"en": "P(violation)", "es": "P(infracción)"},
    "rk_p_critical": {"en": "P(critical)", "es": "P(crítica)"},
    "rk_rule_hits": {"en": "Rule hits", "es": "Reglas activadas"},
    "rk_mandatory": {"en": "mandatory", "es": "obligatoria"},
    "rk_outcome": {"en": "Outcome", "es": "Resultado"},
    "rk_pending": {"en": "pending", "es": "pendiente"},
    "rk_overridden": {"en": "moved by {who}", "es": "movido por {who}"},
    "rk_none_selected": {
        "en": "No shipment in this lane.",
        "es": "Ningún envío en este carril.",
    },
    "rk_released": {
        "en": "{n} shipments released without inspection.",
        "es": "{n} envíos liberados sin inspección.",
    },
    "rk_shipment": {"en": "Shipment", "es": "Envío"},
    "rk_declared": {"en": "Declared", "es": "Declarado"},
    "rk_field_declared_on": {"en": "Declared on", "es": "Fecha de declaración"},
    "rk_field_port": {"en": "Port", "es": "Puerto"},
    "rk_field_mode": {"en": "Mode", "es": "Modo"},
    "rk_field_hs6": {"en": "HS code", "es": "Código SA"},
    "rk_field_origin": {"en": "Origin", "es": "Origen"},
    "rk_field_departure": {"en": "Departure", "es": "Salida"},
    "rk_field_importer": {"en": "Importer", "es": "Importador"},
    "rk_field_shipper": {"en": "Shipper", "es": "Remitente"},
    "rk_field_declarant": {"en": "Declarant", "es": "Declarante"},
    "rk_field_carrier": {"en": "Carrier", "es": "Transportista"},
    "rk_field_net_mass_kg": {"en": "Net mass (kg)", "es": "Masa neta (kg)"},
    "rk_field_value": {"en": "Declared value", "es": "Valor declarado"},
    "rk_result": {"en": "Result", "es": "Resultado"},
    "rk_result_clear": {"en": "Clear", "es": "Sin hallazgos"},
    "rk_result_violation": {"en": "Violation", "es": "Infracción"},
    "rk_result_critical": {"en": "Critical (narcotics)", "es": "Crítica (narcóticos)"},
    "rk_exam_type": {"en": "Exam type", "es": "Tipo de revisión"},
    "rk_inspected_on": {"en": "Inspected on", "es": "Fecha de inspección"},
    "rk_seizure_event": {"en": "Seizure event ID", "es": "ID del aseguramiento"},
    "rk_seizure_held": {
        "en": "in this node's seizure records ({date}, port {port})",
        "es": "en los registros de aseguramientos de este nodo ({date}, puerto {port})",
    },
    "rk_seizure_not_held": {
        "en": "not found among this node's seizure records",
        "es": "no figura en los registros de aseguramientos de este nodo",
    },
    "rk_record_outcome": {"en": "Record outcome", "es": "Registrar resultado"},
    "rk_recorded_by": {"en": "recorded by {who}", "es": "registrado por {who}"},
    "rk_outcome_refused": {
        "en": "The outcome was not recorded:",
        "es": "No se registró el resultado:",
    },
    "rk_why": {"en": "Why it was selected", "es": "Por qué se seleccionó"},
    "rk_override": {"en": "Move to another lane", "es": "Mover a otro carril"},
    "rk_override_lane": {"en": "New lane", "es": "Carril nuevo"},
    "rk_override_reason": {"en": "Reason (required)", "es": "Motivo (obligatorio)"},
    "rk_override_button": {"en": "Move", "es": "Mover"},
    "rk_overrides": {"en": "Overrides", "es": "Cambios de carril"},
    "rk_override_line": {
        "en": "{reference}: {before} → {after}, by {who} on {at}: {reason}",
        "es": "{reference}: {before} → {after}, por {who} el {at}: {reason}",
    },
    "rk_no_overrides": {
        "en": "No shipment of this selection was moved.",
        "es": "Ningún envío de esta selección fue movido.",
    },
    "rk_override_no-reason": {
        "en": "The shipment was not moved: give the reason for the override.",
        "es": "El envío no se movió: indique el motivo del cambio.",
    },
    "rk_override_unknown-lane": {
        "en": "The shipment was not moved: that lane is not one of the selection's lanes.",
        "es": "El envío no se movió: ese carril no es uno de los carriles de la selección.",
    },
    "rk_override_same-lane": {
        "en": "The shipment was not moved: it is already in that lane.",
        "es": "El envío no se movió: ya está en ese carril.",
    },
    "rk_never_selected": {
        "en": "This shipment is in no recorded selection.",
        "es": "Este envío no figura en ninguna selección registrada.",
    },
    "rk_head_general": {"en": "Violation risk", "es": "Riesgo de infracción"},
    "rk_head_critical": {"en": "Critical (narcotics) risk", "es": "Riesgo crítico (narcóticos)"},
    "rk_raw_score": {
        "en": "Raw score {score} (log-odds)",
        "es": "Puntuación bruta {score} (log-odds)",
    },
    "rk_value": {"en": "Value", "es": "Valor"},
    "rk_contribution": {"en": "Contribution", "es": "Contribución"},
    "rk_explain_note": {
        "en": "Contributions are exact TreeSHAP values of the active model on the log-odds "
        "scale; positive ones raise the risk.",
        "es": "Las contribuciones son valores TreeSHAP exactos del modelo activo en escala "
        "log-odds; las positivas elevan el riesgo.",
    },
    "rk_rules_title": {"en": "Rules and watchlists", "es": "Reglas y listas de vigilancia"},
    "rk_rules_note": {
        "en": "Every version is kept; a retired version no longer hits. Managed with alianza "
        "risk rules and alianza risk watchlist.",
        "es": "Se conservan todas las versiones; una versión retirada deja de aplicarse. Se "
        "gestionan con alianza risk rules y alianza risk watchlist.",
    },
    "rk_rules": {"en": "Rules", "es": "Reglas"},
    "rk_rule": {"en": "Rule", "es": "Regla"},
    "rk_conditions": {"en": "When (all hold)", "es": "Cuando (todas se cumplen)"},
    "rk_effect": {"en": "Effect", "es": "Efecto"},
    "rk_mandatory_to": {"en": "mandatory → {lane}", "es": "obligatoria → {lane}"},
    "rk_in_force": {"en": "In force", "es": "Vigencia"},
    "rk_owner": {"en": "Owner", "es": "Responsable"},
    "rk_state": {"en": "State", "es": "Estado"},
    "rk_active": {"en": "active", "es": "vigente"},
    "rk_retired": {"en": "retired", "es": "retirada"},
    "rk_no_rules": {"en": "No rules held.", "es": "No hay reglas."},
    "rk_watchlists": {"en": "Watchlists", "es": "Listas de vigilancia"},
    "rk_watchlist": {"en": "Watchlist", "es": "Lista"},
    "rk_entity": {"en": "Entity", "es": "Entidad"},
    "rk_no_watchlists": {"en": "No watchlist entries.", "es": "No hay entradas en listas."},
}
