"""Interface strings of the seizures pages (English and Spanish)."""

from __future__ import annotations

from alianza.web.strings import Message

STRINGS: dict[str, Message] = {
    "sz_overview": "Overview",
    "sz_overview_title": "Drug seizures",
    "sz_map": "Border map",
    "sz_import": "Import a file",
    "sz_imports": "Recent imports",
    "sz_quarantine": "Quarantine",
    "sz_releasability_note": (
        "Figures include every record of your country ({country}) and the partner country's "
        "records that are releasable to it; its national-only records are left out."
    ),
    "sz_by": "Break down by",
    "sz_measure": "Measure",
    "sz_measure_seizures": "Seizures",
    "sz_measure_amount_kg": "Amount (kg)",
    "sz_without_kg": "Records without mass",
    "sz_all": "All",
    "sz_show": "Show",
    "sz_dim_quarter": "Quarter",
    "sz_dim_fiscal_year": "US fiscal year",
    "sz_dim_drug": "Drug",
    "sz_dim_drug_group": "Drug group",
    "sz_dim_location": "Location",
    "sz_dim_concealment": "Concealment",
    "sz_dim_transport_mode": "Transport mode",
    "sz_dim_country": "Country",
    "sz_dim_component": "Component",
    "sz_dim_region": "Region",
    "sz_not_reported": "not reported",
    "sz_nr_badge": "not captured",
    "sz_no_bar": "no bar (it would dwarf the rest)",
    "sz_not_reported_note": (
        "“Not reported” is not zero: the source has no value there (CBP's public files have no "
        "concealment or transport mode; tablets have no mass)."
    ),
    "sz_no_records": "No records match these filters.",
    "sz_totals": "In all: {seizures} seizures, {kg} kg.",
    "sz_axis_seizures": "Seizures (number of records)",
    "sz_axis_amount_kg": "Amount seized (kg)",
    "sz_bar_note": (
        "The last column draws {measure} as a bar in each row, from zero to the largest row's "
        "figure; the figure is in the same row."
    ),
    "sz_import_title": "Import a seizure file",
    "sz_import_help": (
        "CSV, XLSX or JSON Lines, read with a mapping profile. Valid rows load; invalid rows go to "
        "quarantine with their reasons; nothing is lost."
    ),
    "sz_file": "File",
    "sz_profile": "Profile",
    "sz_report_title": "Validation report",
    "sz_report_meta": "Profile {profile}, imported by {actor}, {when}.",
    "sz_nothing_loaded": "Nothing was loaded: see the problems below.",
    "sz_some_quarantined": (
        "Loaded, but 1 row went to quarantine.",
        "Loaded, but {n} rows went to quarantine.",
    ),
    "sz_all_loaded": "Every row loaded.",
    "sz_strict_note": "Strict mode: nothing was written because the file has invalid rows.",
    "sz_rows": "Rows",
    "sz_loaded": "Loaded",
    "sz_unchanged": "Already held",
    "sz_quarantined": "Quarantined",
    "sz_errors": "Errors",
    "sz_released": "Released from quarantine",
    "sz_partial": "This report is partial: it lists the first {n} problems only.",
    "sz_see_quarantine": "Quarantined rows",
    "sz_issues": "Problems found",
    "sz_row": "Row",
    "sz_field": "Field",
    "sz_value": "Value",
    "sz_message": "Message",
    "sz_file_level": "file",
    "sz_warning": "warning: loaded",
    "sz_imports_title": "Recent imports",
    "sz_imports_help": (
        "Imports made through this application by users of your country ({country})."
    ),
    "sz_no_imports": "No import yet.",
    "sz_quarantine_title": "Quarantined rows",
    "sz_quarantine_help": (
        "Rows refused by an import, kept with their raw values and reasons until a corrected file "
        "releases them."
    ),
    "sz_batch": "Import batch",
    "sz_quarantine_total": (
        "1 row in quarantine ({shown} shown).",
        "{n} rows in quarantine ({shown} shown).",
    ),
    "sz_raw_values": "Raw values",
    "sz_map_heading": "Seizures along the border",
    "sz_map_title": "U.S.–Mexico border: {measure} by port of entry and area",
    "sz_map_desc": (
        "Map of the land border with {n} marks sized by their figures; the table below has every "
        "figure."
    ),
    "sz_map_legend": (
        "Circles: ports of entry (records that name a port). Squares: CBP field offices and Border "
        "Patrol sectors, drawn at the mean position of their ports. Circles and squares have "
        "separate scales; hover a mark for its figures."
    ),
    "sz_map_source": (
        "Boundary: Natural Earth 1:10m; land: Natural Earth 1:50m; US states: U.S. Census Bureau; "
        "Mexican states: Natural Earth 1:10m admin-1 (public domain; see PROVENANCE.md). Each mark "
        "sits on its country's side of the drawn boundary; the line is not used to assign places "
        "to a country."
    ),
    "sz_state_new_mexico": "New Mexico",
    "sz_map_table": "Figures by place on the map",
    "sz_unplaced": (
        "1 place not on the map (away from the border, or with no port to place it)",
        "{n} places not on the map (away from the border, or with no port to place them)",
    ),
    "sz_place": "Place",
    "sz_kind": "Kind",
    "sz_kind_port": "port of entry",
    "sz_kind_area": "field office / sector",
    "sz_kind_unplaced": "not on the map",
    "sz_country_us": "UNITED STATES",
    "sz_country_mx": "MEXICO",
    # where the figures come from (each import's stored provenance)
    "sz_sources_title": "Where these figures come from",
    "sz_sources_provenance": "Provenance, in the source's words",
    "sz_sources_none": "No provenance was recorded with its imports.",
    "sz_sources_files": "Files",
    "sz_sources_profile": "Import profile",
    "sz_sources_imported": "Last imported",
    "sz_generated_badge": "GENERATED SAMPLE — not real seizures",
}
