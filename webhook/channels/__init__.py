"""One small adapter per channel: verify the request, parse it into an InboundMessage, hand it to the dispatcher."""

from __future__ import annotations

import importlib
import pkgutil

from flask import Blueprint


def blueprints() -> list[Blueprint]:
    """The blueprint (`bp`) of every module in this package, so a new channel needs no list edited here."""
    modules = (importlib.import_module(f"{__name__}.{info.name}") for info in pkgutil.iter_modules(__path__))
    return [module.bp for module in modules if isinstance(getattr(module, "bp", None), Blueprint)]
