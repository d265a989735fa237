"""Palaver's command line (``palaver``). Each command group lives in its own module."""
