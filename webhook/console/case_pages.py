"""The queue and the case page, and the counsellor's actions on a case (each audited in bot.hotline.casework)."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for

from bot.hotline.canned import canned_replies
from bot.hotline.casework import CaseworkError
from bot.models import Case
from webhook.console.blueprint import bp
from webhook.console.forms import NoteForm, ReplyForm
from webhook.console.parts import parts


@bp.get("/")
def queue():
    """Unresolved cases, most urgent and longest waiting first, with people paused by hand."""
    views = parts().views
    return render_template("console/queue.html", rows=views.queue(), paused=views.paused())


def render_case(case_id: int, reveal: bool = False, reply: ReplyForm | None = None, status: int = 200):
    """The case page (the view is audited), with canned replies in the person's language form."""
    view = parts().views.open(case_id, g.staff.id, reveal=reveal)
    if view is None:
        abort(404)
    settings = parts().settings
    numbers = settings.hotline_numbers
    canned = canned_replies(view.case.language, numbers)
    reply = reply or ReplyForm()
    chosen = request.args.get("canned")
    if chosen and not reply.text.data:
        reply.text.data = next((item.text for item in canned if item.name == chosen), "")
    page = render_template("console/case.html", view=view, canned=canned, chosen=chosen, reply=reply, note=NoteForm())
    return page, status


@bp.get("/cases/<int:case_id>")
def case(case_id: int):
    """Show one case."""
    return render_case(case_id)


@bp.post("/cases/<int:case_id>/reveal")
def reveal(case_id: int):
    """Show the case with the person's full address (audited as a reveal)."""
    return render_case(case_id, reveal=True)


@bp.post("/cases/<int:case_id>/reply")
def reply(case_id: int):
    """Send the counsellor's reply through the person's channel."""
    form = ReplyForm()
    if not form.validate_on_submit():
        return render_case(case_id, reply=form, status=400)
    return act(case_id, lambda: parts().casework.reply(case_id, g.staff.id, form.text.data), "Reply sent.")


@bp.post("/cases/<int:case_id>/note")
def note(case_id: int):
    """Add a private note."""
    form = NoteForm()
    if not form.validate_on_submit():
        return render_case(case_id, status=400)
    return act(case_id, lambda: parts().casework.note(case_id, g.staff.id, form.text.data), "Note added.")


@bp.post("/cases/<int:case_id>/assign")
def assign(case_id: int):
    """Take the case."""
    return act(case_id, lambda: parts().casework.assign(case_id, g.staff.id), "The case is yours.")


@bp.post("/cases/<int:case_id>/resolve")
def resolve(case_id: int):
    """Close the case; the bot answers the person again."""
    return act(case_id, lambda: parts().casework.resolve(case_id, g.staff.id), "Resolved: the bot answers again.")


@bp.post("/cases/<int:case_id>/false-alarm")
def false_alarm(case_id: int):
    """Close the case as a false alarm (nothing was happening); it becomes labelled data for triage."""
    outcome = Case.FALSE_ALARM
    done = "Resolved as a false alarm: the bot answers again."
    return act(case_id, lambda: parts().casework.resolve(case_id, g.staff.id, outcome), done)


@bp.post("/cases/<int:case_id>/pause")
def pause(case_id: int):
    """Stop the bot answering this person until resumed."""
    return act(case_id, lambda: parts().casework.set_paused(case_id, g.staff.id, True), "Bot paused.")


@bp.post("/cases/<int:case_id>/resume")
def resume(case_id: int):
    """Let the bot answer this person again (unless a case is open)."""
    return act(case_id, lambda: parts().casework.set_paused(case_id, g.staff.id, False), "Bot resumed.")


def act(case_id: int, action, done: str):
    """Run a casework action, tell the counsellor how it went, and go back to the case."""
    try:
        action()
        flash(done, "info")
    except CaseworkError as error:
        flash(str(error), "error")
    return redirect(url_for("console.case", case_id=case_id))
