"""The queue and the case page, and the counsellor's actions on a case (each audited in bot.hotline.casework)."""

from __future__ import annotations

from flask import abort, flash, g, jsonify, redirect, render_template, request, url_for

from bot.hotline.canned import canned_replies
from bot.hotline.case_types import LABELS, TYPES
from bot.hotline.casework import CaseworkError
from bot.hotline.follow_ups import in_days, on_date
from bot.hotline.queue_filters import STATUSES, QueueFilters, known_countries, paginate
from bot.language.forms import FORMS
from bot.models import Case, utcnow
from webhook.console.blueprint import AUTO_REFRESH, bp
from webhook.console.forms import (
    ClassifyForm,
    FollowUpForm,
    NoteForm,
    ReferralForm,
    ReferralStatusForm,
    ReplyForm,
    ResolveForm,
)
from webhook.console.parts import parts

# Larger ids would overflow the database's integer.
MAX_CASE_ID = 2**31 - 1


@bp.get("/")
def queue():
    """Unresolved cases, most urgent and longest waiting first, filtered and by pages, with people paused by hand."""
    views = parts().views
    filters = QueueFilters.from_args(request.args, g.staff.id, known_countries())
    open_count, newest = views.changes(0)
    return render_template(
        "console/queue.html",
        page=paginate(views.queue(filters), request.args.get("page")),
        filters=filters,
        query={name: value for name, value in request.args.items() if name != AUTO_REFRESH},
        priorities=Case.PRIORITIES,
        statuses=STATUSES,
        types=TYPES,
        countries=known_countries(),
        languages=FORMS,
        open_count=open_count,
        newest=newest,
        paused=views.paused(),
    )


@bp.get("/queue/changes")
def queue_changes():
    """Cases opened after case `since` (polled by queue.js; not activity for the idle timeout), as JSON."""
    since = min(request.args.get("since", 0, type=int), MAX_CASE_ID)
    new, newest = parts().views.changes(since)
    return jsonify(new=new, newest=newest)


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
    window = parts().casework.reply_window(case_id)
    page = render_template(
        "console/case.html",
        view=view,
        window=window,
        canned=canned,
        chosen=chosen,
        reply=reply,
        note=NoteForm(),
        **casework_forms(view),
    )
    return page, status


def casework_forms(view) -> dict:
    """The case page's casework forms, showing the case's labels (not what a refused form posted)."""
    referral = referral_form(formdata=None, referred_on=utcnow().date())
    return {
        "classify": ClassifyForm(formdata=None, types=sorted(view.types), indicators=sorted(view.indicators)),
        "referral": referral,
        "referral_status": ReferralStatusForm(formdata=None),
        "follow_up": FollowUpForm(formdata=None),
        "resolve_form": ResolveForm(formdata=None),
        "labels": LABELS,
    }


def referral_form(**kwargs) -> ReferralForm:
    """A referral form offering the active partners."""
    form = ReferralForm(**kwargs)
    form.partner.choices = [(0, "Choose a partner")] + [
        (partner.id, partner.name) for partner in parts().referrals.partners(active_only=True)
    ]
    return form


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
    sent_now = "Reply sent."
    held = "The WhatsApp window is closed: your reply goes when the person writes; the approved template tells them."
    return act(case_id, lambda: parts().casework.reply(case_id, g.staff.id, form.text.data), sent_now, held)


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
    """Close the case with its outcome (required); the bot answers the person again."""
    form = ResolveForm()
    if not form.validate_on_submit():
        return refuse(case_id, form)
    outcome = form.outcome.data
    return act(
        case_id, lambda: parts().casework.resolve(case_id, g.staff.id, outcome), "Resolved: the bot answers again."
    )


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


def act(case_id: int, action, done: str, held: str = ""):
    """Run a casework action, tell the counsellor how it went (`held` when it returned False), and go back."""
    try:
        flash(held if action() is False and held else done, "info")
    except CaseworkError as error:
        flash(str(error), "error")
    return redirect(url_for("console.case", case_id=case_id))


def refuse(case_id: int, form):
    """Show the case again (400) with what is wrong with the posted form."""
    for field in form:
        for error in field.errors:
            flash(f"{field.label.text}: {error}", "error")
    return render_case(case_id, status=400)


@bp.post("/cases/<int:case_id>/classify")
def classify(case_id: int):
    """Save the case's types and ILO indicators."""
    form = ClassifyForm()
    if not form.validate_on_submit():
        return refuse(case_id, form)
    types, indicators = set(form.types.data), set(form.indicators.data)
    return act(case_id, lambda: parts().casework.classify(case_id, g.staff.id, types, indicators), "Types saved.")


@bp.post("/cases/<int:case_id>/referrals")
def refer(case_id: int):
    """Record a referral to a partner."""
    form = referral_form()
    if not form.validate_on_submit():
        return refuse(case_id, form)
    data = form.data
    return act(
        case_id,
        lambda: parts().referrals.refer(
            case_id, g.staff.id, data["partner"], data["status"], data["referred_on"], data["note"] or ""
        ),
        "Referral recorded.",
    )


@bp.post("/cases/<int:case_id>/referrals/<int:referral_id>/status")
def referral_status(case_id: int, referral_id: int):
    """Change a referral's status."""
    form = ReferralStatusForm()
    if not form.validate_on_submit():
        return refuse(case_id, form)
    status = form.status.data
    done = "Referral status changed."
    return act(case_id, lambda: parts().referrals.set_status(case_id, g.staff.id, referral_id, status), done)


@bp.post("/cases/<int:case_id>/follow-up")
def follow_up(case_id: int):
    """Ask for the case to come back to the top of the queue in some days or on a date."""
    form = FollowUpForm()
    if not form.validate_on_submit():
        return refuse(case_id, form)
    days, day = form.days.data, form.on.data

    def set_follow_up() -> None:
        parts().follow_ups.set(case_id, g.staff.id, in_days(days) if days is not None else on_date(day))

    return act(case_id, set_follow_up, "Follow-up set: the case comes back to the top of the queue then.")


@bp.post("/cases/<int:case_id>/follow-up/clear")
def clear_follow_up(case_id: int):
    """Remove the case's follow-up."""
    return act(case_id, lambda: parts().follow_ups.clear(case_id, g.staff.id), "Follow-up cleared.")
