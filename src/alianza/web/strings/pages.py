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

# Errors and refusals are not here: each is a catalogue message declared where it is raised
# (alianza/refusals.py, pme/cycles.py, accounts/service.py, web/errors.py, …) and carried up as a
# ``catalogue.Said``, which the page says in its language (web/i18n.translate_message).

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
