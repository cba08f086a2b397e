"""Loaded with ``-p`` (pytest.ini) before pytest-django reads the settings.

Tests run with the development settings (no manifest storage, no HTTPS
redirect); production settings are tested in subprocesses that set their own env.
"""

import os

os.environ.setdefault("DJANGO_DEBUG", "1")
