"""Rasa custom actions: thin adapters over the bot library."""

from bot import log_privacy

log_privacy.install()
