"""``alianza risk rules …`` and ``alianza risk watchlist …``: targeting rules and watchlists
held in the database (versioned, owned, expiring, retired, audited). Thin shells over
:mod:`alianza.risk.book`."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from alianza.cli import output_risk as out
from alianza.cli.context import Context, fail, pass_context, say
from alianza.cli.pme_options import by_option
from alianza.cli.risk_options import (
    DATE,
    acting,
    day,
    need_library,
)


def in_force_options(command: Callable[..., None]) -> Callable[..., None]:
    """The options a rule and a watchlist entry share: when it is in force, its weight and
    lane, and who adds it."""
    options = [
        click.option("--valid-from", type=DATE, required=True, help="First day in force."),
        click.option("--expires", type=DATE, help="Last day in force."),
        click.option(
            "--weight",
            type=float,
            default=0.0,
            show_default=True,
            help="Added to a hit's priority.",
        ),
        click.option("--mandatory", is_flag=True, help="A hit goes to --lane whatever its score."),
        click.option("--lane", help="The lane of a mandatory hit."),
        by_option,
    ]
    for option in reversed(options):
        command = option(command)
    return command


@click.group()
def rules() -> None:
    """Targeting rules held in the database: versioned, owned, expiring, retired, audited."""


@rules.command("add")
@click.argument("code")
@click.option("--owner", required=True, help="Who answers for the rule.")
@click.option("--reason", required=True, help="Why the rule exists.")
@click.option(
    "--when",
    "conditions",
    multiple=True,
    required=True,
    help="A condition (repeat; all must hold): 'hs6 in 1211*,1302*', 'origin not-in MX', "
    "'departure differs origin', 'value above 10000', 'shipper first-time'. A missing value "
    "(blank, or a column the declaration's profile lacks) never matches, not-in included.",
)
@in_force_options
@pass_context
def rules_add(
    ctx: Context,
    code: str,
    owner: str,
    reason: str,
    conditions: tuple[str, ...],
    valid_from: datetime,
    expires: datetime | None,
    weight: float,
    mandatory: bool,
    lane: str | None,
    by: str,
) -> None:
    """Store a new version of rule CODE (the next version number)."""
    need_library()
    from alianza.risk.book import RuleRefused, RuleSpec, add_rule, parse_condition

    try:
        spec = RuleSpec(
            code=code,
            owner=owner,
            reason=reason,
            valid_from=valid_from.date(),
            expires=day(expires),
            weight=weight,
            mandatory=mandatory,
            lane=lane,
            conditions=tuple(parse_condition(c) for c in conditions),
        )
        with ctx.database.transaction() as session:
            row = add_rule(session, spec, actor=acting(by))
            version = row.version
    except RuleRefused as error:
        fail(error)
    click.echo(say(out.RULE_STORED.said(code=code, version=version)))


@rules.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@by_option
@pass_context
def rules_import(ctx: Context, file: Path, by: str) -> None:
    """Load a TOML rule file (docs/risk.md) into the database; unchanged rules are kept."""
    need_library()
    from alianza.risk.book import RuleRefused, import_rule_file

    try:
        with ctx.database.transaction() as session:
            stored, unchanged = import_rule_file(session, file, actor=acting(by))
    except RuleRefused as error:
        fail(error)
    click.echo(say(out.RULES_IMPORTED.said(file=file.name, stored=stored, unchanged=unchanged)))


@rules.command("list")
@click.option("--all", "show_all", is_flag=True, help="Include retired versions.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_context
def rules_list(ctx: Context, show_all: bool, as_json: bool) -> None:
    """Rules held, every version (retired ones with --all)."""
    need_library()
    from alianza.risk.book import condition_text, list_rules, rule_dict

    with ctx.database.reader() as session:
        found = [rule_dict(r) for r in list_rules(session, include_retired=show_all)]
    if as_json:
        click.echo(json.dumps(found, indent=2, ensure_ascii=False))
        return
    if not found:
        click.echo(say(out.NO_RULES.said()))
    for r in found:
        row = out.RULE_ROW.said(
            code=r["code"],
            version=r["version"],
            state=_state(r),
            valid_from=r["valid_from"],
            until=r["expires"] or out.NO_EXPIRY.said(),
            effect=_effect(r),
            owner=r["owner"],
            reason=r["reason"],
        )
        click.echo(say(row))
        for condition in r["conditions"]:
            click.echo(say(out.RULE_CONDITION.said(condition=condition_text(condition))))


def _state(held: dict[str, Any]) -> str:
    """Active, or retired and why (a rule or a watchlist entry)."""
    if held["retired_at"]:
        return out.RETIRED.said(reason=held["retired_reason"])
    return out.ACTIVE.said()


def _effect(held: dict[str, Any]) -> str:
    """What a hit does: goes to a lane whatever its score, or adds a weight."""
    if held["mandatory"]:
        return out.MANDATORY.said(lane=held["lane"])
    return out.WEIGHT.said(weight=f"{held['weight']:g}")


@rules.command("retire")
@click.argument("code")
@click.option("--version", type=int, help="Only this version (default: every active one).")
@click.option("--reason", required=True, help="Why it is retired.")
@by_option
@pass_context
def rules_retire(ctx: Context, code: str, version: int | None, reason: str, by: str) -> None:
    """Retire a rule: it stops hitting in later selections; its versions and hits are kept."""
    need_library()
    from alianza.risk.book import RuleRefused, retire_rule

    try:
        with ctx.database.transaction() as session:
            rows = retire_rule(session, code, version=version, actor=acting(by), reason=reason)
            versions = [r.version for r in rows]
    except (LookupError, RuleRefused) as error:
        fail(error)
    shown = ", ".join(map(str, versions))
    click.echo(say(out.RULE_RETIRED.said(code=code, versions=shown, n=len(versions))))


@click.group()
def watchlist() -> None:
    """Watchlists of entities (importer, shipper, declarant, carrier, consignee)."""


@watchlist.command("add")
@click.argument("name")
@click.argument("value")
@click.option(
    "--column",
    required=True,
    type=click.Choice(["importer", "shipper", "declarant", "carrier", "consignee"]),
    help="Which entity the value names.",
)
@click.option("--owner", required=True, help="Who answers for the entry.")
@click.option("--reason", required=True, help="Why the entity is listed.")
@in_force_options
@pass_context
def watchlist_add(
    ctx: Context,
    name: str,
    value: str,
    column: str,
    owner: str,
    reason: str,
    valid_from: datetime,
    expires: datetime | None,
    weight: float,
    mandatory: bool,
    lane: str | None,
    by: str,
) -> None:
    """Put VALUE on watchlist NAME (a new version when it is already listed)."""
    need_library()
    from alianza.risk.book import RuleRefused, add_watch

    try:
        with ctx.database.transaction() as session:
            row = add_watch(
                session,
                watchlist=name,
                column=column,
                value=value,
                owner=owner,
                reason=reason,
                valid_from=valid_from.date(),
                expires=day(expires),
                weight=weight,
                mandatory=mandatory,
                lane=lane,
                actor=acting(by),
            )
            version = row.version
    except RuleRefused as error:
        fail(error)
    stored = out.WATCH_STORED.said(name=name, value=value, column=column, version=version)
    click.echo(say(stored))


@watchlist.command("list")
@click.option("--name", help="Only this watchlist.")
@click.option("--all", "show_all", is_flag=True, help="Include retired entries.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_context
def watchlist_list(ctx: Context, name: str | None, show_all: bool, as_json: bool) -> None:
    """Entries of the watchlists."""
    need_library()
    from alianza.risk.book import list_watches, watch_dict

    with ctx.database.reader() as session:
        found = [
            watch_dict(w) for w in list_watches(session, watchlist=name, include_retired=show_all)
        ]
    if as_json:
        click.echo(json.dumps(found, indent=2, ensure_ascii=False))
        return
    if not found:
        click.echo(say(out.NO_WATCHES.said()))
    for w in found:
        row = out.WATCH_ROW.said(
            watchlist=w["watchlist"],
            column=w["column"],
            value=w["value"],
            version=w["version"],
            state=_state(w),
            valid_from=w["valid_from"],
            effect=_effect(w),
            owner=w["owner"],
            reason=w["reason"],
        )
        click.echo(say(row))


@watchlist.command("retire")
@click.argument("name")
@click.argument("value")
@click.option("--reason", required=True, help="Why the entry is retired.")
@by_option
@pass_context
def watchlist_retire(ctx: Context, name: str, value: str, reason: str, by: str) -> None:
    """Take VALUE off watchlist NAME (its versions and hits are kept)."""
    need_library()
    from alianza.risk.book import RuleRefused, retire_watch

    try:
        with ctx.database.transaction() as session:
            retire_watch(session, name, value, actor=acting(by), reason=reason)
    except (LookupError, RuleRefused) as error:
        fail(error)
    click.echo(say(out.WATCH_RETIRED.said(name=name, value=value)))
