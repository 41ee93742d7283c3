"""Alianza: the United States–Mexico border-security cooperation platform."""

__version__ = "0.1.0"
