"""Roles and what they may do. Checked server-side on every route (and by the CLI)."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"  # accounts, partner keys, backups; everything else too
    COORDINATOR = "coordinator"  # the strategy's secretariat: reports, cycles, approvals
    ANALYST = "analyst"  # seizure records, exchange, joint analysis
    LIAISON = "liaison"  # counterpart directory, port alerts
    VIEWER = "viewer"  # reads what the country's releasability allows


class Country(StrEnum):
    US = "US"
    MX = "MX"


class Permission(StrEnum):
    PME_READ = "pme.read"
    PME_IMPORT = "pme.import"
    PME_APPROVE = "pme.approve"  # approve one's own government's status
    SEIZURES_READ = "seizures.read"
    SEIZURES_IMPORT = "seizures.import"
    EXCHANGE_MANAGE = "exchange.manage"
    PORTS_READ = "ports.read"  # port operations, wait times, alert history
    PORTS_ALERT = "ports.alert"  # send and acknowledge counterpart alerts
    RISK_READ = "risk.read"  # scores, selections, explanations (law-enforcement sensitive)
    RISK_MANAGE = "risk.manage"  # import shipments, rules, watchlists, train, select, outcomes
    COOP_READ = "coop.read"
    COOP_MANAGE = "coop.manage"  # mechanisms, meetings, officers, studies
    AUDIT_READ = "audit.read"
    USERS_MANAGE = "users.manage"
    NODE_MANAGE = "node.manage"  # partner keys and endpoints, key rotation (admin)


_READ = {
    Permission.PME_READ,
    Permission.SEIZURES_READ,
    Permission.PORTS_READ,
    Permission.COOP_READ,
}

GRANTS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.COORDINATOR: frozenset(
        _READ
        | {
            Permission.PME_IMPORT,
            Permission.PME_APPROVE,
            Permission.AUDIT_READ,
            Permission.RISK_READ,
            Permission.COOP_MANAGE,
        }
    ),
    Role.ANALYST: frozenset(
        _READ
        | {
            Permission.SEIZURES_IMPORT,
            Permission.EXCHANGE_MANAGE,
            Permission.RISK_READ,
            Permission.RISK_MANAGE,
        }
    ),
    Role.LIAISON: frozenset(_READ | {Permission.PORTS_ALERT, Permission.COOP_MANAGE}),
    Role.VIEWER: frozenset(_READ),
}


def role_grants(role: Role, permission: Permission) -> bool:
    return permission in GRANTS[role]
