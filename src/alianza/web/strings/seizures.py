"""Interface strings of the seizures pages (English and Spanish)."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "sz_overview": {"en": "Overview", "es": "Resumen"},
    "sz_overview_title": {"en": "Drug seizures", "es": "Aseguramientos de drogas"},
    "sz_map": {"en": "Border map", "es": "Mapa de la frontera"},
    "sz_import": {"en": "Import a file", "es": "Importar un archivo"},
    "sz_imports": {"en": "Recent imports", "es": "Importaciones recientes"},
    "sz_quarantine": {"en": "Quarantine", "es": "Cuarentena"},
    "sz_releasability_note": {
        "en": "Figures include every record of your country ({country}) and the partner "
        "country's records that are releasable to it; its national-only records are left out.",
        "es": "Las cifras incluyen todos los registros de su país ({country}) y los registros "
        "del otro país que se le pueden compartir; se excluyen sus registros de uso nacional.",
    },
    "sz_by": {"en": "Break down by", "es": "Desglosar por"},
    "sz_measure": {"en": "Measure", "es": "Medida"},
    "sz_measure_seizures": {"en": "Seizures", "es": "Aseguramientos"},
    "sz_measure_amount_kg": {"en": "Amount (kg)", "es": "Cantidad (kg)"},
    "sz_without_kg": {"en": "Records without mass", "es": "Registros sin peso"},
    "sz_all": {"en": "All", "es": "Todos"},
    "sz_show": {"en": "Show", "es": "Mostrar"},
    "sz_dim_quarter": {"en": "Quarter", "es": "Trimestre"},
    "sz_dim_fiscal_year": {"en": "US fiscal year", "es": "Año fiscal de EE. UU."},
    "sz_dim_drug": {"en": "Drug", "es": "Droga"},
    "sz_dim_drug_group": {"en": "Drug group", "es": "Grupo de drogas"},
    "sz_dim_location": {"en": "Location", "es": "Ubicación"},
    "sz_dim_concealment": {"en": "Concealment", "es": "Ocultamiento"},
    "sz_dim_transport_mode": {"en": "Transport mode", "es": "Medio de transporte"},
    "sz_dim_country": {"en": "Country", "es": "País"},
    "sz_dim_component": {"en": "Component", "es": "Componente"},
    "sz_dim_region": {"en": "Region", "es": "Región"},
    "sz_not_reported": {"en": "not reported", "es": "no reportado"},
    "sz_nr_badge": {"en": "not captured", "es": "no registrado"},
    "sz_no_bar": {
        "en": "no bar (it would dwarf the rest)",
        "es": "sin barra (empequeñecería las demás)",
    },
    "sz_not_reported_note": {
        "en": "“Not reported” is not zero: the source has no value there (CBP's public files "
        "have no concealment or transport mode; tablets have no mass).",
        "es": "“No reportado” no es cero: la fuente no tiene ese dato (los archivos públicos de "
        "CBP no tienen ocultamiento ni medio de transporte; las tabletas no tienen peso).",
    },
    "sz_no_records": {
        "en": "No records match these filters.",
        "es": "Ningún registro coincide con estos filtros.",
    },
    "sz_totals": {
        "en": "In all: {seizures} seizures, {kg} kg.",
        "es": "En total: {seizures} aseguramientos, {kg} kg.",
    },
    "sz_axis_seizures": {
        "en": "Seizures (number of records)",
        "es": "Aseguramientos (número de registros)",
    },
    "sz_axis_amount_kg": {"en": "Amount seized (kg)", "es": "Cantidad asegurada (kg)"},
    "sz_bar_note": {
        "en": "The last column draws {measure} as a bar in each row, from zero to the largest"
        " row's figure; the figure is in the same row.",
        "es": "La última columna dibuja {measure} como una barra en cada fila, de cero a la cifra"
        " de la fila mayor; la cifra está en la misma fila.",
    },
    "sz_import_title": {
        "en": "Import a seizure file",
        "es": "Importar un archivo de aseguramientos",
    },
    "sz_import_help": {
        "en": "CSV, XLSX or JSON Lines, read with a mapping profile. Valid rows load; invalid "
        "rows go to quarantine with their reasons; nothing is lost.",
        "es": "CSV, XLSX o JSON Lines, leído con un perfil de mapeo. Las filas válidas se cargan; "
        "las inválidas pasan a cuarentena con sus motivos; no se pierde nada.",
    },
    "sz_file": {"en": "File", "es": "Archivo"},
    "sz_profile": {"en": "Profile", "es": "Perfil"},
    "sz_report_title": {"en": "Validation report", "es": "Informe de validación"},
    "sz_report_meta": {
        "en": "Profile {profile}, imported by {actor}, {when}.",
        "es": "Perfil {profile}, importado por {actor}, {when}.",
    },
    "sz_nothing_loaded": {
        "en": "Nothing was loaded: see the problems below.",
        "es": "No se cargó nada: vea los problemas abajo.",
    },
    "sz_some_quarantined": {
        "en": "Loaded, but {n} rows went to quarantine.",
        "es": "Cargado, pero {n} filas pasaron a cuarentena.",
    },
    "sz_all_loaded": {"en": "Every row loaded.", "es": "Se cargaron todas las filas."},
    "sz_strict_note": {
        "en": "Strict mode: nothing was written because the file has invalid rows.",
        "es": "Modo estricto: no se escribió nada porque el archivo tiene filas inválidas.",
    },
    "sz_rows": {"en": "Rows", "es": "Filas"},
    "sz_loaded": {"en": "Loaded", "es": "Cargadas"},
    "sz_unchanged": {"en": "Already held", "es": "Ya registradas"},
    "sz_quarantined": {"en": "Quarantined", "es": "En cuarentena"},
    "sz_errors": {"en": "Errors", "es": "Errores"},
    "sz_released": {"en": "Released from quarantine", "es": "Liberadas de cuarentena"},
    "sz_partial": {
        "en": "This report is partial: it lists the first {n} problems only.",
        "es": "Este informe es parcial: solo lista los primeros {n} problemas.",
    },
    "sz_see_quarantine": {"en": "Quarantined rows", "es": "Filas en cuarentena"},
    "sz_issues": {"en": "Problems found", "es": "Problemas encontrados"},
    "sz_row": {"en": "Row", "es": "Fila"},
    "sz_field": {"en": "Field", "es": "Campo"},
    "sz_value": {"en": "Value", "es": "Valor"},
    "sz_message": {"en": "Message", "es": "Mensaje"},
    "sz_file_level": {"en": "file", "es": "archivo"},
    "sz_warning": {"en": "warning: loaded", "es": "advertencia: cargada"},
    "sz_imports_title": {"en": "Recent imports", "es": "Importaciones recientes"},
    "sz_imports_help": {
        "en": "Imports made through this application by users of your country ({country}).",
        "es": "Importaciones hechas en esta aplicación por usuarios de su país ({country}).",
    },
    "sz_no_imports": {"en": "No import yet.", "es": "Aún no hay importaciones."},
    "sz_quarantine_title": {"en": "Quarantined rows", "es": "Filas en cuarentena"},
    "sz_quarantine_help": {
        "en": "Rows refused by an import, kept with their raw values and reasons until a "
        "corrected file releases them.",
        "es": "Filas rechazadas por una importación, guardadas con sus valores originales y "
        "motivos hasta que un archivo corregido las libere.",
    },
    "sz_batch": {"en": "Import batch", "es": "Lote de importación"},
    "sz_quarantine_total": {
        "en": "{n} rows in quarantine ({shown} shown).",
        "es": "{n} filas en cuarentena ({shown} mostradas).",
    },
    "sz_raw_values": {"en": "Raw values", "es": "Valores originales"},
    "sz_map_heading": {
        "en": "Seizures along the border",
        "es": "Aseguramientos a lo largo de la frontera",
    },
    "sz_map_title": {
        "en": "U.S.–Mexico border: {measure} by port of entry and area",
        "es": "Frontera México–Estados Unidos: {measure} por puerto de entrada y zona",
    },
    "sz_map_desc": {
        "en": "Map of the land border with {n} marks sized by their figures; the table below "
        "has every figure.",
        "es": "Mapa de la frontera terrestre con {n} marcas de tamaño proporcional a sus "
        "cifras; la tabla de abajo tiene todas las cifras.",
    },
    "sz_map_legend": {
        "en": "Circles: ports of entry (records that name a port). Squares: CBP field offices "
        "and Border Patrol sectors, drawn at the mean position of their ports. Circles and "
        "squares have separate scales; hover a mark for its figures.",
        "es": "Círculos: puertos de entrada (registros que indican el puerto). Cuadrados: "
        "oficinas de campo de CBP y sectores de la Patrulla Fronteriza, en la posición media "
        "de sus puertos. Círculos y cuadrados tienen escalas distintas; pase el cursor sobre "
        "una marca para ver sus cifras.",
    },
    "sz_map_source": {
        "en": "Boundary: Natural Earth 1:10m; land: Natural Earth 1:50m; US states: U.S. Census "
        "Bureau; Mexican states: Natural Earth 1:10m admin-1 (public domain; see "
        "PROVENANCE.md). Each mark sits on its country's side of the drawn boundary; the line "
        "is not used to assign places to a country.",
        "es": "Límite: Natural Earth 1:10m; tierra: Natural Earth 1:50m; estados de EE. UU.: "
        "Oficina del Censo de EE. UU.; estados de México: Natural Earth 1:10m, nivel 1 (dominio "
        "público; véase PROVENANCE.md). Cada marca queda "
        "del lado de su país del límite dibujado; la línea no sirve para asignar lugares a un "
        "país.",
    },
    "sz_state_new_mexico": {"en": "New Mexico", "es": "Nuevo México"},
    "sz_map_table": {"en": "Figures by place on the map", "es": "Cifras por lugar del mapa"},
    "sz_unplaced": {
        "en": "{n} places not on the map (away from the border, or with no port to place them)",
        "es": "{n} lugares fuera del mapa (lejos de la frontera, o sin puerto para ubicarlos)",
    },
    "sz_place": {"en": "Place", "es": "Lugar"},
    "sz_kind": {"en": "Kind", "es": "Tipo"},
    "sz_kind_port": {"en": "port of entry", "es": "puerto de entrada"},
    "sz_kind_area": {"en": "field office / sector", "es": "oficina de campo / sector"},
    "sz_kind_unplaced": {"en": "not on the map", "es": "fuera del mapa"},
    "sz_country_us": {"en": "UNITED STATES", "es": "ESTADOS UNIDOS"},
    "sz_country_mx": {"en": "MEXICO", "es": "MÉXICO"},
    # where the figures come from (each import's stored provenance)
    "sz_sources_title": {
        "en": "Where these figures come from",
        "es": "De dónde vienen estas cifras",
    },
    "sz_sources_provenance": {
        "en": "Provenance, in the source's words",
        "es": "Procedencia, en palabras de la fuente",
    },
    "sz_sources_none": {
        "en": "No provenance was recorded with its imports.",
        "es": "No se registró la procedencia con sus importaciones.",
    },
    "sz_sources_files": {"en": "Files", "es": "Archivos"},
    "sz_sources_profile": {"en": "Import profile", "es": "Perfil de importación"},
    "sz_sources_imported": {"en": "Last imported", "es": "Última importación"},
    "sz_generated_badge": {
        "en": "GENERATED SAMPLE — not real seizures",
        "es": "MUESTRA GENERADA — no son aseguramientos reales",
    },
}
