"""Top-level conftest: its presence puts ``tests/`` on ``sys.path`` (pytest's prepend import
mode), so every test folder can import the shared helpers in :mod:`live_server` and
:mod:`browser_support` instead of keeping its own copy."""
