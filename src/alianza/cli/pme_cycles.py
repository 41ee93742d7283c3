"""``alianza pme cycle …`` and ``alianza pme diff``: reporting cycles."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import click

from alianza.actors import NodeSelf
from alianza.catalogue import Text
from alianza.cli import output_cycles as out
from alianza.cli.context import Context, handles, pass_context, say
from alianza.cli.pme_cycle_messages import COMMANDS as CYCLE_MESSAGE_COMMANDS
from alianza.cli.pme_options import ISO_DATE, by_option, plan_option
from alianza.exchange.keys import NodeKeyError, load_node_keys
from alianza.operations.problems import message_language
from alianza.pme.cycle_diff import diff_cycles, diff_text
from alianza.pme.cycle_publish import publish_cycle
from alianza.pme.cycles import (
    LANGUAGES,
    CycleNotFound,
    CycleRefused,
    CycleView,
    Government,
    approve_cycle,
    cycle_view,
    enter_status,
    list_cycles,
    lock_cycle,
    open_cycle,
    return_cycle,
    submit_cycle,
    waive_approval,
    withdraw_status,
)
from alianza.pme.publication import FORMATS, write_publication
from alianza.pme.query import PlanNotFound

ERRORS = (PlanNotFound, CycleNotFound, CycleRefused)
gov_choice = click.Choice([g.value for g in Government], case_sensitive=False)
approver_choice = click.Choice(["US", "MX"], case_sensitive=False)
lang_choice = click.Choice(list(LANGUAGES))


def view_text(view: CycleView) -> str:
    heading = out.HEADING.said(key=view.key, english=view.label_en, spanish=view.label_es)
    dates = out.DATES.said(
        as_of=view.as_of, due=view.due or "—", state=view.state.value, round=view.round
    )
    lines = [say(heading), f"  {say(dates)}"]
    done = view.approvals()
    waiting = say(out.WAITING.said())
    approvals = ", ".join(f"{g} {lang}: {done.get((g, lang), waiting)}" for g, lang in _pairs())
    lines.append(f"  {say(out.APPROVALS.said(approvals=approvals))}")
    current = None
    for text in view.texts:
        head = f"{text.action} {text.government} ¶{text.position}"
        if head != current:
            lines.append(f"  {head}")
            current = head
        written = _by(
            out.WRITTEN_BY, out.WRITTEN_BY_GOVERNMENT, text.written_by, text.writer_country
        )
        lines.append(f"    {text.language} [{text.state.value}] {text.text} ({written})")
    lines.append(f"  {say(out.WORKFLOW.said())}")
    for step in view.steps:
        who = " ".join(str(step[k]) for k in ("government", "language") if step[k])
        comment = f": {step['comment']}" if step["comment"] else ""
        by = _by(out.BY, out.BY_GOVERNMENT, step["by"], step["country"])
        lines.append(f"    {step['at'][:16]} {step['step']:<8} {who:<6} {by}{comment}")
    return "\n".join(lines)


def _by(alone: Text, with_government: Text, by: object, country: str | None) -> str:
    """Who did it, and their government where it is known."""
    if country:
        return say(with_government.said(by=by, country=country))
    return say(alone.said(by=by))


def _pairs() -> list[tuple[str, str]]:
    return [(g, lang) for g in ("US", "MX") for lang in LANGUAGES]


@click.group()
def cycle() -> None:
    """Reporting cycles: open, enter status (EN/ES), submit, return, approve, lock, publish."""


@cycle.command("open")
@click.argument("key")
@click.option("--as-of", type=ISO_DATE, required=True, help="The status date of the cycle.")
@click.option("--due", type=ISO_DATE, help="When agencies must submit.")
@click.option("--label", "label_en", required=True, help='English label: "Status as of …".')
@click.option("--label-es", required=True, help='Spanish label: "Estado al …".')
@by_option
@plan_option
@pass_context
@handles(*ERRORS)
def cycle_open(
    ctx: Context,
    key: str,
    as_of: date,
    due: date | None,
    label_en: str,
    label_es: str,
    by: str,
    plan_key: str,
) -> None:
    """Open cycle KEY (e.g. 2000-02)."""
    with ctx.database.transaction() as session:
        view = open_cycle(
            session,
            key,
            as_of=as_of,
            due=due,
            label_en=label_en,
            label_es=label_es,
            actor=NodeSelf(by),
            plan_key=plan_key,
        )
    opened = out.OPENED.said(
        key=view.key, label=view.label_en, label_es=view.label_es, as_of=view.as_of
    )
    click.echo(say(opened))


@cycle.command("enter")
@click.argument("key")
@click.argument("action")
@click.option("--gov", "government", type=gov_choice, required=True, help="US, MX or JOINT.")
@click.option("--lang", "language", type=lang_choice, required=True, help="Language of TEXT.")
@click.option("--text", required=True, help="The status paragraph.")
@click.option("--paragraph", type=click.IntRange(min=1), help="Revise this paragraph (1-based).")
@by_option
@plan_option
@pass_context
@handles(*ERRORS)
def cycle_enter(
    ctx: Context,
    key: str,
    action: str,
    government: str,
    language: str,
    text: str,
    paragraph: int | None,
    by: str,
    plan_key: str,
) -> None:
    """Enter a status paragraph of ACTION; without --paragraph, the next one in that language."""
    with ctx.database.transaction() as session:
        written = enter_status(
            session,
            key,
            action,
            government=Government(government.upper()),
            language=language,
            text=text,
            position=paragraph,
            actor=NodeSelf(by),
            plan_key=plan_key,
        )
    click.echo(f"{written.address}: {written.state.value}")


@cycle.command("withdraw")
@click.argument("key")
@click.argument("action")
@click.option("--gov", "government", type=gov_choice, required=True, help="US, MX or JOINT.")
@click.option("--paragraph", type=click.IntRange(min=1), required=True, help="Which (1-based).")
@click.option("--reason", required=True, help="Why it is withdrawn.")
@by_option
@plan_option
@pass_context
@handles(*ERRORS)
def cycle_withdraw(
    ctx: Context,
    key: str,
    action: str,
    government: str,
    paragraph: int,
    reason: str,
    by: str,
    plan_key: str,
) -> None:
    """Withdraw a status paragraph of ACTION in every language (kept in the history)."""
    with ctx.database.transaction() as session:
        count = withdraw_status(
            session,
            key,
            action,
            government=Government(government.upper()),
            position=paragraph,
            reason=reason,
            actor=NodeSelf(by),
            plan_key=plan_key,
        )
    withdrawn = f"{action}/{government.upper()}/{paragraph}"
    click.echo(say(out.WITHDREW.said(paragraph=withdrawn, n=count)))


def _simple(name: str, function: Any, help_text: str) -> click.Command:
    @click.argument("key")
    @by_option
    @plan_option
    @pass_context
    @handles(*ERRORS)
    def command(ctx: Context, key: str, by: str, plan_key: str) -> None:
        with ctx.database.transaction() as session:
            result = function(session, key, actor=NodeSelf(by), plan_key=plan_key)
        if hasattr(result, "sha256"):
            click.echo(say(out.DONE_SHA.said(key=key, step=name, sha256=result.sha256)))
        else:
            click.echo(say(out.DONE.said(key=key, step=name)))

    command.__doc__ = help_text
    return cycle.command(name)(command)


_simple("submit", submit_cycle, "Submit cycle KEY for review by both governments.")
_simple("lock", lock_cycle, "Lock approved cycle KEY: no more changes.")


@cycle.command("publish")
@click.argument("key")
@by_option
@plan_option
@pass_context
@handles(*ERRORS)
def cycle_publish(ctx: Context, key: str, by: str, plan_key: str) -> None:
    """Publish locked cycle KEY: freeze its edition, hash it and sign the hash with this node's
    key; the partner node is told (``alianza pme cycle send``) and publishes and signs too."""
    try:
        keys = load_node_keys(ctx.settings)
    except NodeKeyError:
        keys = None
    with ctx.database.transaction() as session:
        result = publish_cycle(session, key, actor=NodeSelf(by), plan_key=plan_key, keys=keys)
    published = out.PUBLISHED_SIGNED if keys else out.PUBLISHED_UNSIGNED
    click.echo(say(published.said(key=key, sha256=result.sha256)))


@cycle.command("return")
@click.argument("key")
@click.option("--gov", "government", type=approver_choice, required=True, help="Who returns it.")
@click.option("--comment", required=True, help="What to change.")
@by_option
@plan_option
@pass_context
@handles(*ERRORS)
def cycle_return(
    ctx: Context, key: str, government: str, comment: str, by: str, plan_key: str
) -> None:
    """Return cycle KEY for changes; approvals must then be given again."""
    with ctx.database.transaction() as session:
        return_cycle(
            session,
            key,
            government=Government(government.upper()),
            comment=comment,
            actor=NodeSelf(by),
            plan_key=plan_key,
        )
    click.echo(say(out.RETURNED.said(key=key)))


@cycle.command("approve")
@click.argument("key")
@click.option("--gov", "government", type=approver_choice, required=True, help="US or MX.")
@click.option("--lang", "language", type=lang_choice, required=True, help="Language approved.")
@click.option("--comment", help="Optional remark.")
@by_option
@plan_option
@pass_context
@handles(*ERRORS)
def cycle_approve(
    ctx: Context,
    key: str,
    government: str,
    language: str,
    comment: str | None,
    by: str,
    plan_key: str,
) -> None:
    """One government approves one language of cycle KEY."""
    with ctx.database.transaction() as session:
        view = approve_cycle(
            session,
            key,
            government=Government(government.upper()),
            language=language,
            comment=comment,
            actor=NodeSelf(by),
            plan_key=plan_key,
        )
    missing = ", ".join(f"{g} {lang}" for g, lang in view.missing_approvals())
    approved = out.APPROVED.said(
        key=key, state=view.state.value, missing=missing or out.NONE_MISSING.said()
    )
    click.echo(say(approved))


@cycle.command("waive")
@click.argument("key")
@click.option("--gov", "government", type=approver_choice, required=True, help="US or MX.")
@click.option("--lang", "language", type=lang_choice, required=True, help="Language waived.")
@click.option("--reason", required=True, help="Why publishing without this approval is right.")
@by_option
@plan_option
@pass_context
@handles(*ERRORS)
def cycle_waive(
    ctx: Context, key: str, government: str, language: str, reason: str, by: str, plan_key: str
) -> None:
    """Waive one government's approval of one language, with a recorded reason."""
    with ctx.database.transaction() as session:
        view = waive_approval(
            session,
            key,
            government=Government(government.upper()),
            language=language,
            reason=reason,
            actor=NodeSelf(by),
            plan_key=plan_key,
        )
    click.echo(say(out.STATE.said(key=key, state=view.state.value)))


@cycle.command("show")
@click.argument("key")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text")
@plan_option
@pass_context
@handles(*ERRORS)
def cycle_show(ctx: Context, key: str, output_format: str, plan_key: str) -> None:
    """Show cycle KEY: texts with translation states, approvals, workflow."""
    with ctx.database.reader() as session:
        view = cycle_view(session, key, plan_key)
    if output_format == "json":
        data = {
            "key": view.key,
            "label": {"en": view.label_en, "es": view.label_es},
            "as_of": view.as_of.isoformat(),
            "state": view.state.value,
            "texts": [
                {"address": t.address, "state": t.state.value, "text": t.text} for t in view.texts
            ],
            "workflow": list(view.steps),
        }
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        click.echo(view_text(view))


@cycle.command("list")
@plan_option
@pass_context
@handles(*ERRORS)
def cycle_list(ctx: Context, plan_key: str) -> None:
    """Every cycle of the plan, oldest first."""
    with ctx.database.reader() as session:
        rows = [(r.key, r.as_of, r.state, r.label_en) for r in list_cycles(session, plan_key)]
    for key, as_of, state, label in rows:
        click.echo(f"{key:<12} {as_of}  {state:<10} {label}")


@click.command()
@click.argument("before")
@click.argument("after")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text")
@plan_option
@pass_context
@handles(*ERRORS)
def diff(ctx: Context, before: str, after: str, output_format: str, plan_key: str) -> None:
    """What changed in the status from cycle BEFORE to cycle AFTER."""
    with ctx.database.reader() as session:
        changes = diff_cycles(session, before, after, plan_key)
    if output_format == "json":
        click.echo(json.dumps([c.as_dict() for c in changes], ensure_ascii=False, indent=2))
    else:
        click.echo(diff_text(changes, before, after, message_language()), nl=False)


@cycle.command("render")
@click.argument("key")
@click.option(
    "-o",
    "--out",
    "out_folder",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write to (default: ./publication-KEY).",
)
@click.option(
    "--lang", "languages", type=lang_choice, multiple=True, help="Language(s); default both."
)
@click.option(
    "--format",
    "formats",
    type=click.Choice(list(FORMATS)),
    multiple=True,
    help="Format(s); default all: tsv, md, html, docx, xlsx, png (timeline), json (frozen).",
)
@plan_option
@pass_context
@handles(*ERRORS)
def cycle_render(
    ctx: Context,
    key: str,
    out_folder: Path | None,
    languages: tuple[str, ...],
    formats: tuple[str, ...],
    plan_key: str,
) -> None:
    """Render published cycle KEY in English and Spanish: TSV, Markdown, HTML, DOCX, XLSX."""
    folder = out_folder or Path(f"publication-{key}")
    with ctx.database.reader() as session:
        written = write_publication(
            session,
            key,
            folder,
            languages=languages or LANGUAGES,
            formats=formats or FORMATS,
            plan_key=plan_key,
        )
    for item in written:
        click.echo(say(out.WROTE.said(path=item.path, size=item.size)))


for _command in CYCLE_MESSAGE_COMMANDS:
    cycle.add_command(_command)

CYCLE_COMMANDS = (cycle, diff)
