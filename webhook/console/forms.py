"""The console's forms; each carries a CSRF token (flask-wtf)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, PasswordField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, EqualTo, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from bot.hotline.case_types import INDICATORS, OUTCOMES, TYPES
from bot.hotline.casework import MAX_NOTE_CHARS, MAX_REPLY_CHARS
from bot.hotline.follow_ups import MAX_FOLLOW_UP_DAYS
from bot.hotline.referrals import MAX_PARTNER_CHARS, MAX_REFERRAL_NOTE_CHARS
from bot.hotline.staff import MIN_PASSWORD_CHARS
from bot.models import Referral, StaffUser


class LoginForm(FlaskForm):
    """Username and password."""

    username = StringField("Username", validators=[DataRequired(), Length(max=64)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=200)])


class PasswordChangeForm(FlaskForm):
    """The current password and the new one twice (its rules: bot.hotline.staff.check_new_password)."""

    current = PasswordField("Current password", validators=[DataRequired(), Length(max=200)])
    new = PasswordField("New password", validators=[DataRequired(), Length(max=200)])
    repeat = PasswordField(
        "New password again", validators=[DataRequired(), EqualTo("new", message="the two new passwords differ")]
    )


class EndSessionsForm(FlaskForm):
    """The current password, to end every other session of the account."""

    password = PasswordField("Current password", validators=[DataRequired(), Length(max=200)])


class ReplyForm(FlaskForm):
    """A counsellor's reply to the person."""

    text = TextAreaField("Reply", validators=[DataRequired(), Length(max=MAX_REPLY_CHARS)])


class NoteForm(FlaskForm):
    """A private note on the case."""

    text = TextAreaField("Note", validators=[DataRequired(), Length(max=MAX_NOTE_CHARS)])


class UserForm(FlaskForm):
    """A new staff account; the password is generated when left empty."""

    username = StringField("Username", validators=[DataRequired(), Length(max=64)])
    role = SelectField("Role", choices=[(role, role) for role in StaffUser.ROLES])
    password = PasswordField("Password (empty: generate)", validators=[Optional(), Length(min=MIN_PASSWORD_CHARS)])


class CheckboxesField(SelectMultipleField):
    """A list of checkboxes, one per choice."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ClassifyForm(FlaskForm):
    """The case's types and the ILO forced-labour indicators seen in it."""

    types = CheckboxesField("Case types", choices=list(TYPES.items()))
    indicators = CheckboxesField("ILO forced-labour indicators", choices=list(INDICATORS.items()))


class ResolveForm(FlaskForm):
    """The outcome a case is resolved with: required."""

    outcome = SelectField(
        "Outcome",
        choices=[("", "Choose the outcome"), *OUTCOMES.items()],
        validators=[DataRequired(message="choose the outcome to resolve the case")],
    )


REFERRAL_STATUSES = [(status, status) for status in Referral.STATUSES]


class ReferralForm(FlaskForm):
    """A referral to a partner; the view sets the partner choices (the active partners)."""

    partner = SelectField("Partner", coerce=int, validators=[DataRequired(message="choose a partner")])
    status = SelectField("Status", choices=REFERRAL_STATUSES)
    referred_on = DateField("Date", validators=[DataRequired(message="give the date of the referral")])
    note = TextAreaField("Short note", validators=[Optional(), Length(max=MAX_REFERRAL_NOTE_CHARS)])


class ReferralStatusForm(FlaskForm):
    """A referral's new status."""

    status = SelectField("Status", choices=REFERRAL_STATUSES)


class FollowUpForm(FlaskForm):
    """When to contact the person again: in a number of days, or on a date (one of the two)."""

    days = IntegerField("In days", validators=[Optional(), NumberRange(min=1, max=MAX_FOLLOW_UP_DAYS)])
    on = DateField("or on", validators=[Optional()])

    def validate(self, extra_validators=None) -> bool:
        """Valid when the fields are and exactly one of them is given."""
        if not super().validate(extra_validators):
            return False
        if (self.days.data is None) == (self.on.data is None):
            self.days.errors = [*self.days.errors, "give a number of days or a date (one of the two)"]
            return False
        return True


class PartnerForm(FlaskForm):
    """A referral partner's name."""

    name = StringField("Name", validators=[DataRequired(), Length(max=MAX_PARTNER_CHARS)])
