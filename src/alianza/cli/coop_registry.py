"""``alianza coop``: the cooperation registry (10.1–10.9) and the bindings of measures."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import click

from alianza.actors import NodeSelf
from alianza.cli import messages as words
from alianza.cli import output_coop as out
from alianza.cli.context import Context, handles, pass_context, say
from alianza.cli.pme_options import ISO_DATE, by_option, format_option, plan_option
from alianza.cooperation import registry
from alianza.cooperation.facts import bind_seed_measures, load_seed_facts
from alianza.cooperation.measures import (
    MEASURE_NAMES,
    BindingRefused,
    bind_measure,
    current_bindings,
)
from alianza.cooperation.threat_assessment import draft_threat_assessment
from alianza.pme.query import BadAddress, PlanNotFound

REFUSALS = (registry.RegistryRefused, BindingRefused, BadAddress, PlanNotFound)

precision_option = click.option(
    "--precision",
    type=click.Choice(registry.PRECISIONS),
    default="exact",
    show_default=True,
    help="How precise the date is (month/year: the period's last day; approximate: the "
    "latest date the source allows).",
)
source_option = click.option(
    "--source", required=True, help="Where the fact comes from (paragraph address, file...)."
)
note_option = click.option("--note", help="Free text kept with the record.")


def recording(command: Callable[..., None]) -> Callable[..., None]:
    """What every command that records a fact shares: its source, a note, who records it,
    the node's context and the registry's refusals as one-line errors."""
    decorators: list[Callable[[Any], Any]] = [
        source_option,
        note_option,
        by_option,
        pass_context,
        handles(*REFUSALS),
    ]
    for decorator in reversed(decorators):
        command = decorator(command)
    return command


country_option = click.option(
    "--country", type=click.Choice(registry.COUNTRIES), required=True, help="Country."
)


def _echo_records(records: list[dict[str, Any]], output_format: str, fields: list[str]) -> None:
    if output_format == "json":
        click.echo(json.dumps(records, ensure_ascii=False, indent=2, default=str))
        return
    if not records:
        click.echo(say(out.NO_RECORDS.said()))
    for record in records:
        values = [str(record[f]) for f in fields if record.get(f) not in (None, "", [])]
        click.echo(f"{record['record']:<16} " + "  ".join(values))


@click.command("list")
@click.argument("kind", type=click.Choice(list(registry.KINDS_BY_NAME)))
@format_option
@pass_context
@handles(*REFUSALS)
def list_command(ctx: Context, kind: str, output_format: str) -> None:
    """List the records of a KIND (mechanism, meeting, liaison-post, ...)."""
    fields = {
        "mechanism": ["key", "kind", "topic", "formed_on", "formed_precision", "name"],
        "meeting": ["held_on", "precision", "mechanism_id", "place", "topics", "source"],
        "liaison-post": ["country", "agency", "role", "city", "appointed_on", "precision"],
        "deliverable": ["key", "owner", "due_on", "completed_on", "precision", "title"],
        "technology": ["kind", "country", "place", "deployed_on", "precision"],
        "training": ["subject", "country", "agency", "people", "held_on", "precision"],
    }[kind]
    with ctx.database.reader() as session:
        records = registry.list_records(session, kind)
    _echo_records(records, output_format, fields)


@click.command("add-mechanism")
@click.argument("key")
@click.option("--kind", type=click.Choice(registry.MECHANISM_KINDS), required=True)
@click.option("--name", required=True, help="Name (English).")
@click.option("--name-es", help="Name (Spanish).")
@click.option("--parent", help="Key of the mechanism a subgroup belongs to.")
@click.option("--topic", help="Subgroups: border-public-safety, ...")
@click.option("--us-city", help="BLMs: the US sister city.")
@click.option("--mx-city", help="BLMs: the Mexican sister city.")
@click.option("--cadence", help="How often it meets, as stated (quarterly, annual).")
@click.option("--formed-on", type=ISO_DATE, help="Formation date.")
@precision_option
@click.option("--ended-on", type=ISO_DATE, help="End date.")
@recording
def add_mechanism(ctx: Context, /, key: str, precision: str, by: str, **fields: Any) -> None:
    """Record a binational mechanism (HLCG, BLM, working group, subgroup) under KEY."""
    with ctx.database.transaction() as session:
        row = registry.add_mechanism(
            session, key=key, formed_precision=precision, actor=NodeSelf(by), **fields
        )
        click.echo(say(out.RECORDED_KEY.said(record=registry.record_id(row), key=key)))


def _participant(text: str) -> dict[str, str]:
    parts = text.split(":")
    if len(parts) not in (2, 3):
        raise click.BadParameter(say(words.EXPECTED_PARTY.said(value=text)))
    return dict(zip(("country", "level", "agency"), parts, strict=False))


@click.command("add-meeting")
@click.argument("mechanism")
@click.option("--held-on", type=ISO_DATE, required=True, help="Date of the meeting.")
@precision_option
@click.option("--place", help="Where it was held.")
@click.option(
    "--participant",
    "participants",
    multiple=True,
    help="COUNTRY:LEVEL[:AGENCY] (level: local, state, federal, private); repeat.",
)
@click.option("--topic", "topics", multiple=True, help="A topic discussed; repeat.")
@click.option("--minutes", help="The minutes (evidence file path or URI).")
@recording
def add_meeting(
    ctx: Context,
    /,
    mechanism: str,
    participants: tuple[str, ...],
    topics: tuple[str, ...],
    by: str,
    **fields: Any,
) -> None:
    """Record a meeting or consultation of MECHANISM (its key)."""
    with ctx.database.transaction() as session:
        row = registry.add_meeting(
            session,
            mechanism_key=mechanism,
            participants=[_participant(p) for p in participants],
            topics=list(topics),
            actor=NodeSelf(by),
            **fields,
        )
        click.echo(say(out.RECORDED.said(record=registry.record_id(row))))


@click.command("add-post")
@country_option
@click.option("--office", required=True, help="Consulate or office.")
@click.option("--city", required=True)
@click.option("--agency", required=True)
@click.option("--role", required=True, help="e.g. customs-liaison.")
@click.option("--officer", help="The officer's name (nominal: stays on this node).")
@click.option("--appointed-on", type=ISO_DATE, required=True)
@precision_option
@click.option("--ended-on", type=ISO_DATE)
@recording
def add_post(ctx: Context, /, by: str, **fields: Any) -> None:
    """Record a liaison post and its officer."""
    with ctx.database.transaction() as session:
        row = registry.add_liaison_post(session, actor=NodeSelf(by), **fields)
        click.echo(say(out.RECORDED.said(record=registry.record_id(row))))


@click.command("end")
@click.argument("record")
@click.argument("ended_on", type=ISO_DATE)
@by_option
@pass_context
@handles(*REFUSALS)
def end(ctx: Context, record: str, ended_on: date, by: str) -> None:
    """Set the end date of RECORD (mechanism:N or liaison-post:N)."""
    with ctx.database.transaction() as session:
        registry.end_record(session, record, ended_on, actor=NodeSelf(by))
    click.echo(say(out.ENDED.said(record=record, date=ended_on)))


@click.command("add-deliverable")
@click.argument("key")
@click.option("--title", required=True)
@click.option("--title-es")
@click.option("--owner", required=True)
@click.option(
    "--country",
    type=click.Choice(registry.COUNTRIES),
    help="The one government it belongs to (this node's); leave out for a joint deliverable.",
)
@click.option("--due-on", type=ISO_DATE)
@click.option("--event", help="The PME event its completion records (a relative deadline's).")
@recording
def add_deliverable(ctx: Context, /, key: str, by: str, **fields: Any) -> None:
    """Record a joint study or deliverable (or, with --country, this government's) under KEY."""
    with ctx.database.transaction() as session:
        row = registry.add_deliverable(session, key=key, actor=NodeSelf(by), **fields)
        click.echo(say(out.RECORDED_KEY.said(record=registry.record_id(row), key=key)))


@click.command("complete")
@click.argument("key")
@click.argument("completed_on", type=ISO_DATE)
@precision_option
@click.option("--document", help="The deliverable's document (path or URI).")
@plan_option
@by_option
@pass_context
@handles(*REFUSALS)
def complete(
    ctx: Context,
    key: str,
    completed_on: date,
    precision: str,
    document: str | None,
    plan_key: str,
    by: str,
) -> None:
    """Record deliverable KEY completed on COMPLETED_ON (and the PME event it stands for)."""
    with ctx.database.transaction() as session:
        row = registry.complete_deliverable(
            session,
            key,
            completed_on,
            actor=NodeSelf(by),
            precision=precision,
            document=document,
            plan_key=plan_key,
        )
        done = {"record": registry.record_id(row), "key": key, "date": completed_on}
        if row.event:
            click.echo(say(out.COMPLETED_EVENT.said(**done, event=row.event)))
        else:
            click.echo(say(out.COMPLETED.said(**done)))


@click.command("add-technology")
@click.option("--kind", required=True, help="x-ray, ion-scanner, license-plate-reader, ...")
@country_option
@click.option("--place", required=True)
@click.option("--port", "port_code", help="Land port code (see alianza.codes.reference).")
@click.option("--deployed-on", type=ISO_DATE, required=True)
@precision_option
@recording
def add_technology(ctx: Context, /, by: str, **fields: Any) -> None:
    """Record technology deployed at a port or place."""
    with ctx.database.transaction() as session:
        row = registry.add_technology(session, actor=NodeSelf(by), **fields)
        click.echo(say(out.RECORDED.said(record=registry.record_id(row))))


@click.command("add-training")
@click.option("--subject", required=True)
@country_option
@click.option("--agency", required=True, help="Agency of the people trained.")
@click.option("--trainer", help="Who trained them.")
@click.option("--people", type=click.IntRange(min=0), required=True)
@click.option("--held-on", type=ISO_DATE, required=True)
@precision_option
@recording
def add_training(ctx: Context, /, by: str, **fields: Any) -> None:
    """Record a training event (people trained, by agency)."""
    with ctx.database.transaction() as session:
        row = registry.add_training(session, actor=NodeSelf(by), **fields)
        click.echo(say(out.RECORDED.said(record=registry.record_id(row))))


def _param(text: str) -> tuple[str, Any]:
    key, sep, value = text.partition("=")
    if not sep:
        raise click.BadParameter(say(words.EXPECTED_PARAMETER.said(value=text)))
    return key, value.split(",") if key == "kinds" else value


@click.command("bind")
@click.argument("measurement")
@click.option("--measure", type=click.Choice(MEASURE_NAMES), required=True)
@click.option("--param", "params", multiple=True, help="NAME=VALUE of the measure; repeat.")
@click.option("--target", help="The target paragraph it is compared with (10.4.1/targets/1).")
@plan_option
@by_option
@pass_context
@handles(*REFUSALS)
def bind(
    ctx: Context,
    measurement: str,
    measure: str,
    params: tuple[str, ...],
    target: str | None,
    plan_key: str,
    by: str,
) -> None:
    """Bind MEASUREMENT (10.4.1/measurements/1) to a measure computed from records."""
    with ctx.database.transaction() as session:
        row = bind_measure(
            session,
            measurement,
            measure,
            actor=NodeSelf(by),
            params=dict(_param(p) for p in params),
            target=target,
            plan_key=plan_key,
        )
        bound = out.BOUND.said(
            measurement=row.measurement, measure=row.measure, params=row.params, target=row.target
        )
        click.echo(say(bound))


@click.command("bindings")
@plan_option
@pass_context
@handles(*REFUSALS)
def bindings(ctx: Context, plan_key: str) -> None:
    """The measurement paragraphs bound to measures."""
    with ctx.database.reader() as session:
        rows = current_bindings(session, plan_key)
        lines = [
            f"{b.measurement:<24} {b.measure:<18} vs {b.target or '-':<18} "
            f"{json.dumps(b.params, ensure_ascii=False)}"
            for b in rows
        ]
    click.echo("\n".join(lines) if lines else say(out.NO_BINDINGS.said()))


@click.command("load-facts")
@plan_option
@by_option
@pass_context
@handles(*REFUSALS)
def load_facts_command(ctx: Context, plan_key: str, by: str) -> None:
    """Record the 1999 facts of the seed report (the binational ones and this node's
    government's own) and bind the seed's counting measurements."""
    with ctx.database.transaction() as session:
        loads = load_seed_facts(session, actor=NodeSelf(by))
        bound = bind_seed_measures(session, actor=NodeSelf(by), plan_key=plan_key)
    for loaded in loads:
        if loaded.created:
            created = ", ".join(f"{n} {kind}" for kind, n in loaded.created.items())
            click.echo(say(out.FACTS_RECORDED.said(source=loaded.source, created=created)))
        else:
            click.echo(say(out.FACTS_ALREADY.said(source=loaded.source)))
    click.echo(say(out.MEASUREMENTS_BOUND.said(n=bound)))


@click.command("threat-assessment")
@click.option("--from", "first", type=ISO_DATE, required=True, help="First day of the period.")
@click.option("--to", "last", type=ISO_DATE, required=True, help="Last day of the period.")
@click.option("--lang", type=click.Choice(["en", "es"]), default="en", show_default=True)
@click.option(
    "--out",
    "out_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the Markdown here (default: print it).",
)
@pass_context
def threat_assessment(
    ctx: Context, first: date, last: date, lang: str, out_path: Path | None
) -> None:
    """A DRAFT Binational Threat Assessment (Markdown) from this node's records."""
    with ctx.database.reader() as session:
        text = draft_threat_assessment(session, first, last, lang)
    if out_path is None:
        click.echo(text, nl=False)
    else:
        out_path.write_text(text, "utf-8")
        click.echo(say(out.DRAFT_WRITTEN.said(path=out_path)))
