"""The console's forms; each carries a CSRF token (flask-wtf)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from bot.hotline.casework import MAX_NOTE_CHARS, MAX_REPLY_CHARS
from bot.hotline.staff import MIN_PASSWORD_CHARS
from bot.models import StaffUser


class LoginForm(FlaskForm):
    """Username and password."""

    username = StringField("Username", validators=[DataRequired(), Length(max=64)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=200)])


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
