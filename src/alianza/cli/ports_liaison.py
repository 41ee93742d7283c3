"""``alianza ports`` commands of counterpart communication (10.6): directory, alerts, drills."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import click

from alianza.actors import NodeSelf
from alianza.cli import messages as words
from alianza.cli import output_liaison as out
from alianza.cli.context import Context, handles, pass_context, say
from alianza.liaison.alerts import (
    PRIORITIES,
    SEVERITIES,
    TEMPLATES,
    AlertRefused,
    acknowledge,
    alert_state,
    alerts_newest_first,
    as_utc,
    escalate_due,
    export_alerts,
    give_delay_reason,
    parse_due_after,
    publish_directory,
    record_breaches,
    render,
    send_alert,
)
from alianza.liaison.directory import (
    CHANNEL_KINDS,
    CONTACT_KINDS,
    COUNTRIES,
    ROLES,
    DirectoryError,
    add_contact,
    drill_by_id,
    end_contact,
    ensure_pair,
    pair_directory,
    pair_list,
    partner_directory,
    port_zone,
    sharing_of,
)
from alianza.liaison.drills import record_drill, schedule_drill
from alianza.liaison.lease import delivery_turn
from alianza.liaison.live import sync_directory
from alianza.liaison.measures import communication_measures
from alianza.liaison.notify import notifier_of, send_notifications
from alianza.liaison.transport import FileTransport, deliver_outbox, receive_folder
from alianza.operations.problems import message_language
from alianza.ports.reference import UnknownPort, find_port

country_choice = click.Choice(list(COUNTRIES))
pair_option = click.option("--port", "port_wanted", required=True, help="US port (code or name).")


def _node_self(_ctx: click.Context, _param: click.Parameter, value: str) -> NodeSelf:
    try:
        return NodeSelf(value)
    except ValueError:
        raise click.BadParameter(say(words.GIVE_NAME.said())) from None


# The node acts, under this name (the audit log records it; an acknowledgement shows it).
actor_option = click.option(
    "--by", "actor", default="cli", show_default=True, help="Who acts.", callback=_node_self
)


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _pairs(key_values: tuple[str, ...], what: str) -> dict[str, str]:
    found = {}
    for item in key_values:
        key, sep, value = item.partition("=")
        if not sep:
            raise click.BadParameter(say(words.NOT_KEY_VALUE.said(value=item)), param_hint=what)
        found[key.strip()] = value.strip()
    return found


def _shift(text: str) -> tuple[time, time]:
    try:
        start, end = text.split("-")
        return time.fromisoformat(start), time.fromisoformat(end)
    except ValueError:
        raise click.BadParameter(
            say(words.NOT_SHIFT.said(value=text)), param_hint="--shift"
        ) from None


@click.group()
def contact() -> None:
    """The counterpart directory: officials of each side of a port pair."""


@contact.command("add")
@pair_option
@click.option("--country", type=country_choice, required=True)
@click.option("--position", type=int, required=True, help="Escalation order (1 is first).")
@click.option("--role", type=click.Choice(list(ROLES)), required=True)
@click.option("--name", required=True, help="Name (nominal: stays on this node).")
@click.option("--shift", default="00:00-00:00", show_default=True, help="Local HH:MM-HH:MM.")
@click.option(
    "--channel",
    "channels",
    multiple=True,
    required=True,
    help=f"KIND=ADDRESS, KIND one of {', '.join(CONTACT_KINDS)}; repeatable "
    "(email, webhook and sms are sent by the node itself).",
)
@click.option(
    "--user",
    "username",
    default=None,
    help="Their account on this node: they see the pair's alerts and escalations reach them.",
)
@actor_option
@pass_context
@handles(UnknownPort, DirectoryError)
def contact_add(
    ctx: Context,
    port_wanted: str,
    country: str,
    position: int,
    role: str,
    name: str,
    shift: str,
    channels: tuple[str, ...],
    username: str | None,
    actor: NodeSelf,
) -> None:
    """Add an official to a port pair's directory (the pair is created on first use)."""
    code = find_port(port_wanted).code
    pairs = list(_pairs(channels, "--channel").items())
    with ctx.database.transaction() as session:
        pair = ensure_pair(session, code, actor=actor)
        added = add_contact(
            session,
            pair,
            country=country,
            position=position,
            role=role,
            name=name,
            shift=_shift(shift),
            channels=pairs,
            actor=actor,
            username=username,
        )
        click.echo(
            say(
                out.CONTACT_ADDED.said(
                    id=added.id, country=country, role=role, position=position, code=code
                )
            )
        )


@contact.command("list")
@pair_option
@pass_context
@handles(UnknownPort)
def contact_list(ctx: Context, port_wanted: str) -> None:
    """Show a port pair's directory: both sides, escalation order, shifts and channels."""
    code = find_port(port_wanted).code
    with ctx.database.reader() as session:
        found = pair_directory(session, code)
        if found is None:
            raise click.ClickException(say(words.NO_DIRECTORY.said(code=code)))
        pair, contacts = found
        theirs = partner_directory(session).get(pair.id, [])
        click.echo(
            say(
                out.PAIR_HEADING.said(
                    code=code, us_name=find_port(code).bts_name, mx_name=pair.mx_port_name
                )
            )
        )
        zone = port_zone(code)
        for c in contacts:
            ways = ", ".join(f"{ch['kind']} {ch['address']}" for ch in c.channels)
            shift = f"{c.shift_start:%H:%M}-{c.shift_end:%H:%M} {zone.key}"
            account = f"  @{c.username}" if c.username else ""
            ended = ""
            if c.ended_at:
                day = f"{as_utc(c.ended_at):%Y-%m-%d}"
                ended = say(out.CONTACT_ENDED_NOTE.said(day=day, who=c.ended_by))
            click.echo(
                f"  {c.id:>4} {c.country} #{c.position} {c.role:<16} {c.name:<24} {shift}  "
                f"{ways}{account}{ended}"
            )
        for e in theirs:
            ways = ", ".join(f"{ch['kind']} {ch['address']}" for ch in e.channels)
            row = out.PARTNER_ROW.said(
                country=e.country,
                position=e.position,
                role=f"{e.role:<16}",
                name=f"{e.name or '':<24}",
                shift=f"{e.shift_start:%H:%M}-{e.shift_end:%H:%M} {zone.key}",
                ways=ways,
                published=f"{as_utc(e.published_at):%Y-%m-%d %H:%M}",
            )
            click.echo(say(row))


@contact.command("publish")
@click.option("--country", type=country_choice, required=True, help="This node's side.")
@actor_option
@pass_context
def contact_publish(ctx: Context, country: str, actor: NodeSelf) -> None:
    """Queue this side's directory (roles, shift hours, the channels the agreement shares)
    for the partner node now, even unchanged: a forced resend. A change to the directory is
    published by itself (`alianza serve`'s delivery loop, `ports deliver`, `outbox send`)."""
    sharing = sharing_of(ctx.settings)
    with ctx.database.transaction() as session:
        entries = publish_directory(
            session,
            country,
            actor=actor,
            now=_now(),
            channels=sharing.channels,
            share_names=sharing.share_names,
        )
    click.echo(say(out.DIRECTORY_QUEUED.said(n=entries)))


def _sync_directory(ctx: Context) -> None:
    """Before a delivery pass: queue this side's directory if it changed since last published."""
    if ctx.database.country is not None:
        sync_directory(ctx.database, ctx.database.country, sharing_of(ctx.settings), now=_now())


@contact.command("end")
@click.argument("contact_id", type=int)
@actor_option
@pass_context
@handles(DirectoryError)
def contact_end(ctx: Context, contact_id: int, actor: NodeSelf) -> None:
    """End a directory entry (the person left): it leaves every escalation chain at once and
    stays in the directory's history."""
    with ctx.database.transaction() as session:
        ended = end_contact(session, contact_id, actor=actor, now=_now())
        click.echo(
            say(out.CONTACT_ENDED.said(id=ended.id, role=ended.role, position=ended.position))
        )


@click.group()
def alert() -> None:
    """Alerts to the paired port across the border."""


@alert.command("send")
@pair_option
@click.option("--from", "from_country", type=country_choice, required=True, help="This side.")
@click.option("--template", type=click.Choice(sorted(TEMPLATES)), required=True)
@click.option("--field", "fields", multiple=True, help="Template field KEY=VALUE; repeatable.")
@click.option("--text", "free_text", default="", help="Free text, as written.")
@click.option("--nominal", multiple=True, help="Nominal detail KEY=VALUE (plate, name).")
@click.option("--share-nominal", is_flag=True, help="Send the nominal details to the pair too.")
@click.option("--severity", type=click.Choice(SEVERITIES), default="warning", show_default=True)
@click.option("--priority", type=click.Choice(PRIORITIES), default="routine", show_default=True)
@click.option("--expires-minutes", type=float, help="Not escalated after this many minutes.")
@click.option("--request", is_flag=True, help="A request: answer due by its priority.")
@actor_option
@pass_context
@handles(UnknownPort, AlertRefused)
def alert_send(
    ctx: Context,
    port_wanted: str,
    from_country: str,
    template: str,
    fields: tuple[str, ...],
    free_text: str,
    nominal: tuple[str, ...],
    share_nominal: bool,
    severity: str,
    priority: str,
    expires_minutes: float | None,
    request: bool,
    actor: NodeSelf,
) -> None:
    """Send an alert: it waits in the outbox until `alianza ports outbox send` carries it."""
    code = find_port(port_wanted).code
    with ctx.database.transaction() as session:
        pair = ensure_pair(session, code, actor=actor)
        sent = send_alert(
            session,
            pair,
            from_country=from_country,
            template=template,
            details=_pairs(fields, "--field"),
            free_text=free_text,
            nominal=_pairs(nominal, "--nominal"),
            share_nominal=share_nominal,
            actor=actor,
            now=_now(),
            severity=severity,
            priority=priority,
            expires_in=timedelta(minutes=expires_minutes) if expires_minutes else None,
            request=request,
            due_after=parse_due_after(ctx.settings.ports_request_due),
        )
        click.echo(
            say(
                out.ALERT_QUEUED.said(
                    id=sent.id, country=sent.to_country, text=render(sent, message_language())
                )
            )
        )


@alert.command("list")
@click.option(
    "--lang",
    type=click.Choice(["en", "es"]),
    help="Language of the alerts' text (default: ALIANZA_LANGUAGE, else the locale, else English).",
)
@pass_context
def alert_list(ctx: Context, lang: str | None) -> None:
    """Alerts held by this node, newest first, with their state (queued, delivered,
    escalated, acknowledged, expired) and their time in the port's zone."""
    now = _now()
    language = lang or message_language()
    with ctx.database.reader() as session:
        pairs = {p.id: p.us_port_code for p in pair_list(session)}
        for a in alerts_newest_first(session):
            code = pairs[a.pair_id]
            local = as_utc(a.created_at).astimezone(port_zone(code))
            row = out.ALERT_ROW.said(
                id=a.id,
                code=code,
                route=f"{a.from_country}->{a.to_country}",
                state=f"{alert_state(a, now):<12}",
                severity=f"{a.severity:<8}",
                level=a.escalation_level,
                local=f"{local:%Y-%m-%d %H:%M %Z}",
                text=render(a, language),
            )
            click.echo(say(row))


@alert.command("ack")
@click.argument("alert_id")
@actor_option
@pass_context
@handles(AlertRefused)
@click.option("--reason", default="", help="Why late: needed for a request past its due time.")
def alert_ack(ctx: Context, alert_id: str, actor: NodeSelf, reason: str) -> None:
    """Acknowledge a received alert; the acknowledgement is queued back to the sender."""
    with ctx.database.transaction() as session:
        done = acknowledge(session, alert_id, actor=actor, now=_now(), reason=reason)
    said = out.ALERT_ACKNOWLEDGED if done else out.ALERT_ALREADY_ACKNOWLEDGED
    click.echo(say(said.said(id=alert_id)))


@alert.command("reason")
@click.argument("alert_id")
@click.argument("reason")
@actor_option
@pass_context
@handles(AlertRefused)
def alert_reason(ctx: Context, alert_id: str, reason: str, actor: NodeSelf) -> None:
    """Record why a request is late (kept with its breach in the measures)."""
    with ctx.database.transaction() as session:
        give_delay_reason(session, alert_id, reason, actor=actor, now=_now())
    click.echo(say(out.REASON_RECORDED.said(id=alert_id)))


@alert.command("escalate")
@click.option("--country", type=country_choice, required=True, help="This node's side.")
@click.option("--after-minutes", type=float, default=5.0, show_default=True)
@pass_context
def alert_escalate(ctx: Context, country: str, after_minutes: float) -> None:
    """Move unacknowledged alerts to the next contact (run it every minute, e.g. from cron)."""
    with ctx.database.transaction() as session:
        moved = escalate_due(
            session, node_country=country, now=_now(), after=timedelta(minutes=after_minutes)
        )
        for a, c in moved:
            moved_to = out.ALERT_ESCALATED.said(
                id=a.id, role=c.role, position=c.position, level=a.escalation_level
            )
            click.echo(say(moved_to))
        late = record_breaches(session, now=_now())
    click.echo(say(out.ESCALATION_SUMMARY.said(n=len(moved), late=len(late))))


@alert.command("export")
@pass_context
def alert_export(ctx: Context) -> None:
    """Alerts as JSON for reports: nominal details withheld (only their names are listed)."""
    with ctx.database.reader() as session:
        click.echo(json.dumps(export_alerts(session), ensure_ascii=False, indent=2))


@click.group()
def outbox() -> None:
    """Messages waiting to cross to the partner node."""


@outbox.command("send")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@pass_context
def outbox_send(ctx: Context, folder: Path) -> None:
    """Write due messages as files into FOLDER/<country>/ (unsigned: for a channel both nodes
    trust; between serving nodes, `alianza ports deliver` signs them)."""
    with delivery_turn(ctx.database, now=_now()) as ours:
        if not ours:
            click.echo(say(out.LOOP_RUNNING.said()))
            return
        _sync_directory(ctx)
        report = deliver_outbox(ctx.database, FileTransport(folder), now=_now())
    click.echo(say(out.DELIVERED.said(delivered=report.delivered, failed=report.failed)))


@click.group()
def inbox() -> None:
    """Messages arriving from the partner node."""


@inbox.command("receive")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@pass_context
def inbox_receive(ctx: Context, folder: Path) -> None:
    """Apply the message files in FOLDER; a message already applied is skipped."""
    applied, duplicates = receive_folder(ctx.database, folder, now=_now())
    click.echo(say(out.RECEIVED.said(applied=applied, duplicates=duplicates)))


@click.group()
def drill() -> None:
    """Communication drills of a port pair."""


@drill.command("schedule")
@pair_option
@click.option(
    "--at",
    "when",
    type=click.DateTime(["%Y-%m-%dT%H:%M"]),
    required=True,
    help="UTC, YYYY-MM-DDTHH:MM.",
)
@click.option("--channel", type=click.Choice(list(CHANNEL_KINDS)), required=True)
@actor_option
@pass_context
@handles(UnknownPort, DirectoryError)
def drill_schedule(
    ctx: Context, port_wanted: str, when: datetime, channel: str, actor: NodeSelf
) -> None:
    """Schedule a drill."""
    code = find_port(port_wanted).code
    with ctx.database.transaction() as session:
        pair = ensure_pair(session, code, actor=actor)
        made = schedule_drill(
            session, pair, at=when.replace(tzinfo=UTC), channel=channel, actor=actor
        )
        click.echo(say(out.DRILL_SCHEDULED.said(id=made.id)))


@drill.command("record")
@click.argument("drill_id", type=int)
@click.option("--passed/--failed", required=True)
@click.option("--seconds", type=int, help="Seconds until the counterpart answered.")
@click.option("--notes", default="")
@actor_option
@pass_context
@handles(DirectoryError)
def drill_record(
    ctx: Context, drill_id: int, passed: bool, seconds: int | None, notes: str, actor: NodeSelf
) -> None:
    """Record a drill's result (now)."""
    with ctx.database.transaction() as session:
        held = drill_by_id(session, drill_id)
        record_drill(
            session,
            held,
            held_at=_now(),
            passed=passed,
            seconds_to_answer=seconds,
            notes=notes,
            actor=actor,
        )
    click.echo(say((out.DRILL_PASSED if passed else out.DRILL_FAILED).said(id=drill_id)))


@click.command()
@click.option("--json", "as_json", is_flag=True, help="JSON instead of a table.")
@pass_context
def measures(ctx: Context, as_json: bool) -> None:
    """PME measures of 10.6 per port pair and quarter."""
    with ctx.database.reader() as session:
        rows = communication_measures(session)
    if as_json:
        click.echo(json.dumps([r.as_dict() for r in rows], indent=2))
        return
    click.echo(say(out.MEASURES_HEADING.said()))
    for r in rows:
        share = "-" if r.share_within_5_min is None else f"{r.share_within_5_min:.0%}"
        med = "-" if r.median_seconds is None else f"{r.median_seconds:.0f}"
        p90 = "-" if r.p90_seconds is None else f"{r.p90_seconds:.0f}"
        click.echo(
            f"{r.pair} {r.quarter} {r.delivered:>9} {r.acknowledged:>4} {med:>9} "
            f"{p90:>6} {share:>12} {r.drills_held:>8}/{r.drills_passed}"
        )


@click.command()
@click.option(
    "--url",
    help="The partner's registered address (default: it, else ALIANZA_PORTS_PARTNER_URL).",
)
@pass_context
def deliver(ctx: Context, url: str | None) -> None:
    """One delivery pass: POST due outbox messages, signed, to the partner node (exit 3:
    some stay queued).

    `alianza serve` does this every second; this command is for a node that does not serve
    (cron) or to push at once. Messages refused or not delivered stay queued (retry with
    backoff); the partner applies each message once.
    """
    from alianza.exchange.keys import NodeKeyError, load_node_keys
    from alianza.exchange.partners import BadPartnerUrl, UnknownDestination, destination
    from alianza.liaison.transport import HttpTransport, partner_alert_url

    try:
        keys = load_node_keys(ctx.settings)
    except NodeKeyError as error:
        raise click.ClickException(say(error)) from None
    partner = "MX" if keys.identity.country == "US" else "US"
    try:
        setting = ctx.settings.ports_partner_url
        if url is not None and url.rstrip("/") != (setting or "").rstrip("/"):
            with ctx.database.reader() as session:
                target: str | None = destination(session, url, country=partner)
        else:
            target = partner_alert_url(ctx.database, partner, url or setting)
    except (BadPartnerUrl, UnknownDestination) as error:
        raise click.ClickException(say(error)) from None
    if not target:
        raise click.UsageError(say(words.NO_PARTNER_URL.said()))
    with delivery_turn(ctx.database, now=_now()) as ours:
        if not ours:
            click.echo(say(out.LOOP_RUNNING.said()))
            return
        _sync_directory(ctx)
        report = deliver_outbox(ctx.database, HttpTransport(keys, {partner: target}), now=_now())
    click.echo(say(out.DELIVERED.said(delivered=report.delivered, failed=report.failed)))
    for problem in report.errors:
        click.echo(f"  {say(problem)}", err=True)
    if report.failed:
        sys.exit(3)  # some messages stay queued


@click.command()
@pass_context
def notify(ctx: Context) -> None:
    """Send the queued notifications (e-mail, webhook, SMS) of alerts addressed to people on
    this node (`alianza serve` does it every second); exit 3 when some could not go."""
    sent, failed = send_notifications(ctx.database, notifier_of(ctx.settings), now=_now())
    click.echo(say(out.NOTIFICATIONS.said(n=sent, failed=failed)))
    if failed:
        sys.exit(3)
