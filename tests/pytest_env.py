import os

# Tests run with the development settings (no manifest storage, no HTTPS
# redirect); production settings are tested in subprocesses that set their own env.
os.environ.setdefault("DJANGO_DEBUG", "1")
