"""The fediverse blueprint: discovery (discovery.py) and the inbox (inbox.py) register on it."""

from flask import Blueprint

bp = Blueprint("fediverse", __name__)
