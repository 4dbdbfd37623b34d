"""Rasa custom actions: thin adapters over the bot library."""

from rasa_sdk.plugin import plugin_manager

from actions import tracing
from bot.ops import json_logs

json_logs.install()
# rasa_sdk attaches its plugins' Sanic extensions after importing the actions package (rasa_sdk.endpoint.run).
plugin_manager().register(tracing)
