"""``alianza risk``: high-risk shipment targeting (action 10.8).

Thin shell over :mod:`alianza.risk.service`; the library is imported inside each command so that
``alianza`` runs on a node installed without the ``risk`` extra (LightGBM, NumPy).
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import click

from alianza.cli.context import Context, fail, pass_context
from alianza.cli.pme_options import by_option

DATE = click.DateTime(formats=["%Y-%m-%d"])
ACTOR = "cli"
EXTRA = "the risk commands need the optional extra: pip install 'alianza[risk]'"


def _day(value: datetime | None) -> date | None:
    return value.date() if value is not None else None


def _library() -> None:
    try:
        import lightgbm  # noqa: F401
        import numpy  # noqa: F401
    except ImportError:
        fail(EXTRA)


@click.group()
def risk() -> None:
    """Shipment risk targeting: import, train, score, select, evaluate, explain."""


def _report(report: Any, report_json: Path | None, language: str) -> None:
    click.echo(report.text(language=language))
    if report_json is not None:
        report.write_json(report_json)
    raise SystemExit(report.exit_code)


report_json_option = click.option(
    "--report-json",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the validation report as JSON to this file.",
)
lang_option = click.option(
    "--lang",
    type=click.Choice(["en", "es"]),
    default="en",
    show_default=True,
    help="Language of the messages.",
)
period_options = [
    click.option("--from", "start", type=DATE, required=True, help="First declaration day."),
    click.option("--to", "end", type=DATE, required=True, help="Last declaration day."),
    click.option("--port", help="Only shipments declared at this port (office)."),
    click.option("--model", "model_id", type=int, help="Model id (default: the newest)."),
]


def with_period(function: Any) -> Any:
    for option in reversed(period_options):
        function = option(function)
    return function


@risk.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--profile",
    type=click.Choice(["kcs", "alianza"]),
    default="kcs",
    show_default=True,
    help="Mapping profile of the file's columns.",
)
@report_json_option
@lang_option
@by_option
@pass_context
def import_command(
    ctx: Context, file: Path, profile: str, report_json: Path | None, lang: str, by: str
) -> None:
    """Import shipment declarations; labels in the file are stored as past outcomes.

    One transaction; rows already held unchanged are skipped; refused rows are listed with
    their row, field and reason. Exit status 0 (all loaded), 3 (some refused), 2 (none).
    """
    _library()
    from alianza.risk.store import import_shipments

    _report(import_shipments(ctx.database, file, profile=profile, actor=by), report_json, lang)


@risk.command("sample")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--rows", type=int, default=20_000, show_default=True, help="Shipments.")
@click.option("--days", type=int, default=180, show_default=True, help="Days covered.")
@click.option("--seed", type=int, default=0, show_default=True)
def sample_command(folder: Path, rows: int, days: int, seed: int) -> None:
    """Write a generated (synthetic) border-shipment sample in the canonical columns: a history
    with outcomes, the last week's arrivals without, and the arrivals' true outcomes."""
    _library()
    from alianza.risk.sample import generate

    files = generate(folder, rows=rows, days=days, seed=seed)
    for path in (files.history, files.arrivals, files.truth):
        click.echo(str(path))


@risk.command("outcomes")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@report_json_option
@lang_option
@by_option
@pass_context
def outcomes_command(
    ctx: Context, file: Path, report_json: Path | None, lang: str, by: str
) -> None:
    """Record inspection outcomes (CSV: reference, lane, exam_type, inspected_on, result =
    clear|violation|critical, optional seizure_event_id). They become training labels."""
    _library()
    from alianza.risk.store import record_outcomes

    _report(record_outcomes(ctx.database, file, actor=by), report_json, lang)


@risk.command()
@click.option("--train-until", type=DATE, help="Last day of the training period.")
@click.option("--calibrate-until", type=DATE, help="Last day of the calibration period.")
@click.option(
    "--calibration-days",
    type=int,
    default=28,
    show_default=True,
    help="Without --train-until: the last N days of labels calibrate, the rest trains.",
)
@click.option("--seed", type=int, default=0, show_default=True)
@by_option
@pass_context
def train(
    ctx: Context,
    train_until: datetime | None,
    calibrate_until: datetime | None,
    calibration_days: int,
    seed: int,
    by: str,
) -> None:
    """Train the general and critical heads on every labeled shipment and store the model."""
    _library()
    from alianza.risk.schedule import active_model_id, labels_held
    from alianza.risk.service import record_model, train_and_store

    try:
        with ctx.database.reader() as session:
            previous = active_model_id(session)
        model_id = train_and_store(
            ctx.database,
            train_until=_day(train_until),
            calibrate_until=_day(calibrate_until),
            calibration_days=calibration_days,
            seed=seed,
            actor=by,
        )
        with ctx.database.reader() as session:
            labels = labels_held(session)
        record_model(
            ctx.database, model_id, trigger="manual", previous=previous, labels=labels, actor=by
        )
    except ValueError as error:
        fail(str(error))
    click.echo(f"stored risk model {model_id}")


@risk.command()
@with_period
@click.option("--top", type=int, default=20, show_default=True, help="Rows to print.")
@click.option(
    "--csv",
    "csv_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write every score to this CSV file.",
)
@pass_context
def score(
    ctx: Context,
    start: datetime,
    end: datetime,
    port: str | None,
    model_id: int | None,
    top: int,
    csv_path: Path | None,
) -> None:
    """Score the shipments declared in a period (both heads, calibrated probabilities)."""
    _library()
    from alianza.cells import SafeCsvWriter
    from alianza.risk.service import NoModel, NothingToScore, score_batch

    try:
        scored = score_batch(
            ctx.database,
            start=start.date(),
            end=end.date(),
            port=port,
            model_id=model_id,
            actor=ACTOR,
        )
    except (NoModel, NothingToScore) as error:
        fail(str(error))
    table, scores = scored.batch.table, scored.scores
    order = sorted(range(len(table)), key=lambda i: -scores.ranking("general")[i])
    click.echo(f"model {scored.model_id}: {len(table):,} shipments scored")
    click.echo(f"{'reference':<14}{'port':<8}{'hs6':<8}{'p(violation)':>14}{'p(critical)':>13}")
    for i in order[:top]:
        click.echo(
            f"{table.ids[i]:<14}{table.text['port'][i]:<8}{table.text['hs6'][i]:<8}"
            f"{scores.probability['general'][i]:>14.4f}{scores.probability['critical'][i]:>13.4f}"
        )
    if csv_path is not None:
        with csv_path.open("w", encoding="utf-8", newline="") as handle:
            writer = SafeCsvWriter(handle)
            writer.writerow(["reference", "p_violation", "p_critical", "cold_start"])
            for i in order:
                writer.writerow(
                    [
                        table.ids[i],
                        f"{scores.probability['general'][i]:.6f}",
                        f"{scores.probability['critical'][i]:.6f}",
                        int(scores.cold["general"][i]),
                    ]
                )


def _lane(value: str) -> tuple[str, int]:
    name, _, capacity = value.partition("=")
    if not name or not capacity.isdigit():
        raise click.BadParameter(f"{value!r}: expected NAME=CAPACITY, e.g. physical=5")
    return name, int(capacity)


@risk.command("select")
@with_period
@click.option(
    "--lane",
    "lanes",
    multiple=True,
    required=True,
    help="NAME=CAPACITY, most intrusive first (repeat): --lane physical=5 --lane documentary=20.",
)
@click.option(
    "--rules",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Rules and watchlists (TOML) to apply instead of those held in the database; the "
    "file is stored on the node first (changed rules become new versions).",
)
@click.option(
    "--random-share",
    type=float,
    default=0.1,
    show_default=True,
    help="Share of each lane's capacity drawn at random (control slice).",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the random slice.")
@click.option(
    "--critical",
    "critical",
    multiple=True,
    help="LANE=SLOTS: slots of a lane for the highest critical-head probabilities (repeat).",
)
@click.option(
    "--fill-floor",
    type=float,
    help="Spare-capacity policy: slots left take only priorities at or above this (others "
    "stay unused). Default: fill every slot with the highest scores, whatever they are.",
)
@click.option("--replace", help="Select an already selected batch again; the reason (audited).")
@by_option
@pass_context
def select_command(
    ctx: Context,
    start: datetime,
    end: datetime,
    port: str | None,
    model_id: int | None,
    lanes: tuple[str, ...],
    rules: Path | None,
    random_share: float,
    seed: int,
    critical: tuple[str, ...],
    fill_floor: float | None,
    replace: str | None,
    by: str,
) -> None:
    """Assign the period's shipments to lanes within capacity and record the selection:
    mandatory rule hits first, then the random control slice (randomised rounding: its
    expected size is the share of every lane, however small), then the highest scores under
    the stated spare-capacity policy. A batch already selected needs --replace REASON."""
    _library()
    from alianza.risk.book import RuleRefused, rule_book_from_file
    from alianza.risk.selection import Lane
    from alianza.risk.service import NoModel, NothingToScore, score_batch, select_and_store

    try:
        parsed = [Lane(*_lane(v)) for v in lanes]
        budget = dict(_lane(v) for v in critical)
        book = rule_book_from_file(ctx.database, rules, actor=by) if rules else None
        scored = score_batch(
            ctx.database, start=start.date(), end=end.date(), port=port, model_id=model_id
        )
        label = f"{start.date()}..{end.date()}" + (f" port {port}" if port else "")
        selection_id, chosen = select_and_store(
            ctx.database,
            scored,
            parsed,
            rules=book,
            random_share=random_share,
            seed=seed,
            batch_label=label,
            critical_budget=budget,
            fill_floor=fill_floor,
            replace=replace,
            actor=by,
        )
    except (NoModel, NothingToScore, RuleRefused, ValueError, KeyError) as error:
        fail(str(error))
    click.echo(f"selection {selection_id} ({label}, model {scored.model_id}, seed {seed})")
    click.echo(f"  spare capacity policy: {chosen.policy()}")
    for lane in chosen.summary():
        if lane["lane"] == "release":
            click.echo(f"  release: {lane['used']:,}")
            continue
        over = f", {lane['over_capacity']} over capacity" if lane["over_capacity"] else ""
        click.echo(
            f"  {lane['lane']}: {lane['used']}/{lane['capacity']} (mandatory {lane['mandatory']}, "
            f"random control {lane['random_control']}, critical {lane['critical_score']}, "
            f"score {lane['score']}{over}, spare {lane['spare']})"
        )


@risk.command()
@click.argument("selection_id", type=int)
@click.argument("reference")
@click.argument("lane")
@click.option("--reason", required=True, help="Why the officer moved the shipment.")
@click.option("--actor", default="officer", show_default=True, help="Who overrides.")
@pass_context
def override(
    ctx: Context, selection_id: int, reference: str, lane: str, reason: str, actor: str
) -> None:
    """Move one shipment of a selection to another of its lanes, or to release (kept and
    audited)."""
    from alianza.risk.overrides import override as move

    try:
        move(ctx.database, selection_id, reference, lane, actor=actor, reason=reason)
    except (LookupError, ValueError) as error:
        fail(str(error))
    click.echo(f"selection {selection_id}: {reference} -> {lane}")


@risk.command()
@with_period
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_context
def evaluate(
    ctx: Context,
    start: datetime,
    end: datetime,
    port: str | None,
    model_id: int | None,
    as_json: bool,
) -> None:
    """Measure the model on the period's inspected shipments, and report the unbiased hit rate
    of the random-control inspections of the period."""
    _library()
    from alianza.risk.service import NoModel, NothingToScore, evaluate_period

    if port is not None:
        fail("--port is not supported by evaluate yet")
    try:
        result = evaluate_period(
            ctx.database, start=start.date(), end=end.date(), model_id=model_id
        )
    except (NoModel, NothingToScore) as error:
        fail(str(error))
    if as_json:
        click.echo(json.dumps(result.as_dict(), indent=2))
        return
    click.echo(f"{result.rows:,} shipments, {result.labeled:,} with an outcome")
    for head, values in result.metrics.items():
        shown = ", ".join(f"{k} {v:.3f}" for k, v in values.items())
        click.echo(f"  {head}: {shown}")
    rate = result.random_slice
    if rate.inspected:
        click.echo(
            f"  random control slice: {rate.hits}/{rate.inspected} = {rate.rate:.3f} "
            f"(95% {rate.low:.3f}-{rate.high:.3f})"
        )
    else:
        click.echo("  random control slice: no random-control inspections with outcomes")


@risk.command()
@click.option("--reference-from", type=DATE, help="First day of the reference.")
@click.option("--reference-to", type=DATE, help="Last day of the reference.")
@click.option(
    "--seasonal",
    is_flag=True,
    help="Take the same days one year earlier as the reference (seasonal trade).",
)
@click.option("--from", "start", type=DATE, required=True, help="First day of the current period.")
@click.option("--to", "end", type=DATE, required=True, help="Last day of the current period.")
@click.option("--model", "model_id", type=int, help="Model id (default: the newest).")
@click.option("--top", type=int, default=10, show_default=True, help="Features to print.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_context
def drift(
    ctx: Context,
    reference_from: datetime | None,
    reference_to: datetime | None,
    seasonal: bool,
    start: datetime,
    end: datetime,
    model_id: int | None,
    top: int,
    as_json: bool,
) -> None:
    """Feature drift (PSI, judged against the noise of its number of categories and sample
    sizes) and the change of the random-slice hit rate between two periods."""
    _library()
    from alianza.risk.drift import seasonal_reference
    from alianza.risk.service import NoModel, NothingToScore, drift_between

    if seasonal:
        reference = seasonal_reference(start.date(), end.date())
    elif reference_from is not None and reference_to is not None:
        reference = (reference_from.date(), reference_to.date())
    else:
        fail("give --reference-from and --reference-to, or --seasonal")
    try:
        report = drift_between(
            ctx.database,
            reference=reference,
            current=(start.date(), end.date()),
            model_id=model_id,
        )
    except (NoModel, NothingToScore) as error:
        fail(str(error))
    if as_json:
        click.echo(json.dumps(report.as_dict(), indent=2))
        return
    click.echo(
        f"feature drift {reference[0]}..{reference[1]} -> {start.date()}..{end.date()} (PSI; "
        "< 0.1 stable, 0.1-0.25 watch, > 0.25 shifted, and above the noise of its sample):"
    )
    for item in report.features[:top]:
        click.echo(f"  {item.psi:8.3f}  {item.level:<8} {item.feature} (noise {item.noise:.3f})")
    before, after = report.slices
    change = report.hit_rate
    if before.inspected and after.inspected:
        click.echo(
            f"random-slice hit rate: {change.before:.3f} ({before.inspected}) -> "
            f"{change.after:.3f} ({after.inspected}), z {change.z:+.2f}, p {change.p_value:.3f}"
        )
    else:
        click.echo("random-slice hit rate: not enough random-control outcomes in both periods")


@risk.command("explain")
@click.argument("references", nargs=-1, required=True)
@click.option(
    "--head", type=click.Choice(["general", "critical"]), default="general", show_default=True
)
@click.option("--top", type=int, default=5, show_default=True, help="Features per shipment.")
@click.option("--model", "model_id", type=int, help="Model id (default: the newest).")
@pass_context
def explain_command(
    ctx: Context, references: tuple[str, ...], head: str, top: int, model_id: int | None
) -> None:
    """Why shipments score as they do: the features that moved their score most."""
    _library()
    from alianza.risk.service import NoModel, explain_shipments

    try:
        found = explain_shipments(
            ctx.database, list(references), head=head, top=top, model_id=model_id
        )
    except (NoModel, LookupError) as error:
        fail(str(error))
    for reference, explanation in found:
        click.echo(f"{reference} ({head}, raw score {explanation.raw_score:+.3f}):")
        click.echo("  raising the score:")
        for c in explanation.top:
            click.echo(f"    {c.contribution:+.3f}  {c.feature} = {c.value}")
        click.echo("  lowering the score:")
        for c in explanation.lowering:
            click.echo(f"    {c.contribution:+.3f}  {c.feature} = {c.value}")


# --- rules and watchlists held in the database -------------------------------------------


@risk.group()
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
    "'departure differs origin', 'value above 10000', 'shipper first-time'.",
)
@click.option("--valid-from", type=DATE, required=True, help="First day in force.")
@click.option("--expires", type=DATE, help="Last day in force.")
@click.option(
    "--weight", type=float, default=0.0, show_default=True, help="Added to a hit's priority."
)
@click.option("--mandatory", is_flag=True, help="A hit goes to --lane whatever its score.")
@click.option("--lane", help="The lane of a mandatory hit.")
@by_option
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
    _library()
    from alianza.risk.book import RuleRefused, RuleSpec, add_rule, parse_condition

    try:
        spec = RuleSpec(
            code=code,
            owner=owner,
            reason=reason,
            valid_from=valid_from.date(),
            expires=_day(expires),
            weight=weight,
            mandatory=mandatory,
            lane=lane,
            conditions=tuple(parse_condition(c) for c in conditions),
        )
        with ctx.database.transaction() as session:
            row = add_rule(session, spec, actor=by)
            version = row.version
    except RuleRefused as error:
        fail(str(error))
    click.echo(f"rule {code} version {version} stored")


@rules.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@by_option
@pass_context
def rules_import(ctx: Context, file: Path, by: str) -> None:
    """Load a TOML rule file (docs/risk.md) into the database; unchanged rules are kept."""
    _library()
    from alianza.risk.book import RuleRefused, import_rule_file

    try:
        with ctx.database.transaction() as session:
            stored, unchanged = import_rule_file(session, file, actor=by)
    except RuleRefused as error:
        fail(str(error))
    click.echo(f"{file.name}: {stored} stored, {unchanged} unchanged")


@rules.command("list")
@click.option("--all", "show_all", is_flag=True, help="Include retired versions.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_context
def rules_list(ctx: Context, show_all: bool, as_json: bool) -> None:
    """Rules held, every version (retired ones with --all)."""
    _library()
    from alianza.risk.book import condition_text, list_rules, rule_dict

    with ctx.database.reader() as session:
        found = [rule_dict(r) for r in list_rules(session, include_retired=show_all)]
    if as_json:
        click.echo(json.dumps(found, indent=2, ensure_ascii=False))
        return
    if not found:
        click.echo("no rules")
    for r in found:
        state = f"retired: {r['retired_reason']}" if r["retired_at"] else "active"
        effect = f"mandatory -> {r['lane']}" if r["mandatory"] else f"weight {r['weight']:g}"
        until = r["expires"] or "no expiry"
        click.echo(
            f"{r['code']} v{r['version']} [{state}] {r['valid_from']}..{until}, {effect}; "
            f"owner {r['owner']}: {r['reason']}"
        )
        for condition in r["conditions"]:
            click.echo(f"    when {condition_text(condition)}")


@rules.command("retire")
@click.argument("code")
@click.option("--version", type=int, help="Only this version (default: every active one).")
@click.option("--reason", required=True, help="Why it is retired.")
@by_option
@pass_context
def rules_retire(ctx: Context, code: str, version: int | None, reason: str, by: str) -> None:
    """Retire a rule: it stops hitting in later selections; its versions and hits are kept."""
    _library()
    from alianza.risk.book import RuleRefused, retire_rule

    try:
        with ctx.database.transaction() as session:
            rows = retire_rule(session, code, version=version, actor=by, reason=reason)
            versions = [r.version for r in rows]
    except (LookupError, RuleRefused) as error:
        fail(str(error))
    click.echo(f"rule {code}: retired version(s) {', '.join(map(str, versions))}")


@risk.group()
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
@click.option("--valid-from", type=DATE, required=True, help="First day in force.")
@click.option("--expires", type=DATE, help="Last day in force.")
@click.option(
    "--weight", type=float, default=0.0, show_default=True, help="Added to a hit's priority."
)
@click.option("--mandatory", is_flag=True, help="A hit goes to --lane whatever its score.")
@click.option("--lane", help="The lane of a mandatory hit.")
@by_option
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
    _library()
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
                expires=_day(expires),
                weight=weight,
                mandatory=mandatory,
                lane=lane,
                actor=by,
            )
            version = row.version
    except RuleRefused as error:
        fail(str(error))
    click.echo(f"watchlist {name}: {value} ({column}) version {version} stored")


@watchlist.command("list")
@click.option("--name", help="Only this watchlist.")
@click.option("--all", "show_all", is_flag=True, help="Include retired entries.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_context
def watchlist_list(ctx: Context, name: str | None, show_all: bool, as_json: bool) -> None:
    """Entries of the watchlists."""
    _library()
    from alianza.risk.book import list_watches, watch_dict

    with ctx.database.reader() as session:
        found = [
            watch_dict(w) for w in list_watches(session, watchlist=name, include_retired=show_all)
        ]
    if as_json:
        click.echo(json.dumps(found, indent=2, ensure_ascii=False))
        return
    if not found:
        click.echo("no watchlist entries")
    for w in found:
        state = f"retired: {w['retired_reason']}" if w["retired_at"] else "active"
        effect = f"mandatory -> {w['lane']}" if w["mandatory"] else f"weight {w['weight']:g}"
        click.echo(
            f"{w['watchlist']}: {w['column']} = {w['value']} v{w['version']} [{state}] "
            f"from {w['valid_from']}, {effect}; owner {w['owner']}: {w['reason']}"
        )


@watchlist.command("retire")
@click.argument("name")
@click.argument("value")
@click.option("--reason", required=True, help="Why the entry is retired.")
@by_option
@pass_context
def watchlist_retire(ctx: Context, name: str, value: str, reason: str, by: str) -> None:
    """Take VALUE off watchlist NAME (its versions and hits are kept)."""
    _library()
    from alianza.risk.book import RuleRefused, retire_watch

    try:
        with ctx.database.transaction() as session:
            retire_watch(session, name, value, actor=by, reason=reason)
    except (LookupError, RuleRefused) as error:
        fail(str(error))
    click.echo(f"watchlist {name}: {value} retired")


@risk.command("quarantine")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_context
def quarantine_command(ctx: Context, as_json: bool) -> None:
    """Declaration rows refused by imports and not yet released by a corrected file."""
    _library()
    from alianza.risk.store import open_quarantine

    with ctx.database.reader() as session:
        found: list[dict[str, Any]] = [
            {
                "source": q.source,
                "row": q.source_row,
                "reference": q.reference,
                "issues": q.issues,
            }
            for q in open_quarantine(session)
        ]
    if as_json:
        click.echo(json.dumps(found, indent=2, ensure_ascii=False))
        return
    click.echo(f"{len(found)} rows in quarantine")
    for q in found:
        codes = ", ".join(f"{i['code']} ({i['field']})" for i in q["issues"])
        click.echo(f"  {q['source']} row {q['row']} {q['reference']}: {codes}")


# --- scheduled retraining and rollback -------------------------------------------------------


@risk.command("schedule")
@click.option("--every", "every_days", type=int, help="Retrain every N days (e.g. 7: weekly).")
@click.option(
    "--min-new-labels", type=int, help="Retrain early once this many outcomes arrived (0: off)."
)
@click.option("--calibration-days", type=int, help="Days of newest labels that calibrate.")
@by_option
@pass_context
def schedule_command(
    ctx: Context,
    every_days: int | None,
    min_new_labels: int | None,
    calibration_days: int | None,
    by: str,
) -> None:
    """Show the retraining schedule, or set it with any of the options."""
    _library()
    from alianza.risk.schedule import DEFAULT_SCHEDULE, Schedule, get_schedule, set_schedule

    with ctx.database.reader() as session:
        held = get_schedule(session)
    current = held or DEFAULT_SCHEDULE
    if every_days is None and min_new_labels is None and calibration_days is None:
        origin = "stored" if held else "default (none stored)"
    else:
        current = Schedule(
            every_days if every_days is not None else current.every_days,
            min_new_labels if min_new_labels is not None else current.min_new_labels,
            calibration_days if calibration_days is not None else current.calibration_days,
        )
        try:
            set_schedule(ctx.database, current, actor=by)
        except ValueError as error:
            fail(str(error))
        origin = "stored"
    click.echo(
        f"retraining schedule ({origin}): every {current.every_days} days, early after "
        f"{current.min_new_labels or 'no'} new outcomes, calibration {current.calibration_days} "
        "days"
    )


@risk.command("retrain")
@click.option("--due", is_flag=True, help="Retrain only if the schedule says it is due.")
@click.option("--now", type=DATE, help="Take this day as today (to replay a schedule).")
@click.option("--seed", type=int, default=0, show_default=True)
@by_option
@pass_context
def retrain_command(ctx: Context, due: bool, now: datetime | None, seed: int, by: str) -> None:
    """Retrain on every label held, keep the previous model for rollback, record the new
    model's evaluation and the drift monitors. With --due: only when the schedule says so."""
    _library()
    from datetime import UTC

    from alianza.risk.service import retrain_when_due

    moment = now.replace(tzinfo=UTC) if now is not None else None
    try:
        why, model_id = retrain_when_due(
            ctx.database, now=moment, force=not due, seed=seed, actor=by
        )
    except ValueError as error:
        fail(str(error))
    if model_id is None:
        click.echo(f"not due: {why.detail}")
        return
    if why.due:
        click.echo(f"stored risk model {model_id} ({why.trigger}: {why.detail})")
    else:
        click.echo(f"stored risk model {model_id} (manual; the schedule says: {why.detail})")
    _print_model(ctx, model_id)


def _print_model(ctx: Context, model_id: int) -> None:
    from alianza.risk.schedule import list_models

    with ctx.database.reader() as session:
        info = next(m for m in list_models(session) if m.id == model_id)
    evaluation = info.evaluation
    for name in ("model", "previous"):
        if name not in evaluation:
            continue
        general = evaluation[name]["metrics"].get("general", {})
        label = f"model {model_id}" if name == "model" else f"previous {evaluation[name]['model']}"
        shown = ", ".join(
            f"{k} {general[k]:.3f}"
            for k in ("ROC-AUC", "P@5%", "ECE")
            if general.get(k) is not None
        )
        click.echo(f"  {label} on {' .. '.join(evaluation['period'])}: {shown}")
    features = info.drift.get("features", [])
    if features:
        top = ", ".join(f"{f['feature']} {f['psi']:.3f}" for f in features[:3])
        click.echo(f"  drift (PSI, largest): {top}")


@risk.command("rollback")
@click.option("--model", "model_id", type=int, help="Withdraw this model (default: the active).")
@click.option("--reason", required=True, help="Why the model is withdrawn.")
@by_option
@pass_context
def rollback_command(ctx: Context, model_id: int | None, reason: str, by: str) -> None:
    """Withdraw the active model: the previous one scores again (kept, audited)."""
    _library()
    from alianza.risk.schedule import NoModel, rollback

    try:
        withdrawn, active = rollback(ctx.database, actor=by, reason=reason, model_id=model_id)
    except (NoModel, ValueError) as error:
        fail(str(error))
    click.echo(f"model {withdrawn} withdrawn; model {active} is active")


@risk.command("models")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_context
def models_command(ctx: Context, as_json: bool) -> None:
    """Stored models, newest first: what they were trained on, how they measured."""
    _library()
    from alianza.risk.schedule import list_models

    with ctx.database.reader() as session:
        found = list_models(session)
    if as_json:
        click.echo(json.dumps([m.as_dict() for m in found], indent=2, default=str))
        return
    for m in found:
        state = "active" if m.active else f"withdrawn: {m.withdrawn}" if m.withdrawn else "kept"
        general = m.evaluation.get("model", {}).get("metrics", {}).get("general", {})
        auc = f", ROC-AUC {general['ROC-AUC']:.3f}" if general.get("ROC-AUC") is not None else ""
        click.echo(
            f"model {m.id} [{state}] trained {m.trained[0]}..{m.trained[1]}, calibrated "
            f"{m.calibrated[0]}..{m.calibrated[1]}, {m.labels if m.labels is not None else '?'} "
            f"labels, {m.trigger or 'no record'}{auc}"
        )


def demo_step(database: Any, directory: Path) -> None:
    """``alianza demo``'s risk section: a generated border sample, rules and a watchlist in the
    database, a model trained and evaluated, a selection, and the selected shipments' outcomes
    played back (so that /risk shows a random-slice hit rate)."""
    click.secho("\n6. Shipment risk targeting (action 10.8), on a generated sample", bold=True)
    try:
        from alianza.risk.book import RuleSpec, add_rule, add_watch
        from alianza.risk.rules import Condition
        from alianza.risk.sample import generate
        from alianza.risk.schedule import Schedule, labels_held, set_schedule
        from alianza.risk.selection import RELEASE, Lane
        from alianza.risk.service import (
            record_model,
            score_batch,
            select_and_store,
            train_and_store,
        )
        from alianza.risk.store import import_shipments, record_outcome_rows
    except ImportError:
        click.echo(f"  skipped: {EXTRA}")
        return
    files = generate(directory / "risk-sample", rows=6000, days=90, seed=1)
    for path in (files.history, files.arrivals):
        click.echo(
            "  " + import_shipments(database, path, profile="alianza").text().splitlines()[0]
        )
    with database.transaction() as session:
        add_rule(
            session,
            RuleSpec(
                "alkaloids-andean",
                owner="targeting unit, Laredo (demo)",
                reason="alkaloids declared from an Andean origin",
                valid_from=date(2025, 1, 1),
                mandatory=True,
                lane="physical",
                conditions=(
                    Condition("in", "hs6", ("2939*",)),
                    Condition("in", "origin", ("CO", "PE", "BO")),
                ),
            ),
            actor="demo",
        )
        add_rule(
            session,
            RuleSpec(
                "transshipment",
                owner="targeting unit (demo)",
                reason="departure country differs from origin",
                valid_from=date(2025, 1, 1),
                weight=0.05,
                conditions=(Condition("differs", "departure", other="origin"),),
            ),
            actor="demo",
        )
        add_watch(
            session,
            watchlist="shippers",
            column="shipper",
            value="MXS0003",
            owner="intelligence desk (demo)",
            reason="named in a 2024 seizure report (fictitious)",
            valid_from=date(2025, 1, 1),
            weight=0.2,
            actor="demo",
        )
    set_schedule(database, Schedule(7, 200, 21), actor="demo")
    with database.reader() as session:
        labels = labels_held(session)
    model_id = train_and_store(database, calibration_days=21)
    record_model(database, model_id, trigger="manual", previous=None, labels=labels, actor="demo")
    click.echo(f"  trained risk model {model_id} (general and critical heads, calibrated)")
    scored = score_batch(database, start=date(2025, 3, 25), end=date(2025, 3, 31))
    selection_id, chosen = select_and_store(
        database,
        scored,
        [Lane("physical", 10), Lane("non-intrusive", 20)],
        random_share=0.2,
        critical_budget={"physical": 2},
        batch_label="demo week 2025-03-25..31",
    )
    for lane in chosen.summary():
        click.echo(f"  selection {selection_id}: {lane['lane']} {lane['used']}")
    inspected = {
        str(scored.batch.table.ids[a.row]): a.lane for a in chosen.assignments if a.lane != RELEASE
    }
    import csv

    with files.truth.open(encoding="utf-8", newline="") as handle:
        played = [r for r in csv.DictReader(handle) if r["reference"] in inspected]
    for row in played:
        row["lane"] = inspected[row["reference"]]
    report = record_outcome_rows(database, played, source="demo inspections", actor="demo")
    click.echo(f"  outcomes of the {report.loaded} inspected shipments played back")
    click.echo("  explore: /risk in the browser, or alianza risk models / rules list")
    click.echo(f"  every arrival's outcome: {files.truth}")


def _register() -> None:
    from alianza.cli.risk_live import hit_rates_command, score_one_command

    risk.add_command(score_one_command)
    risk.add_command(hit_rates_command)


_register()
