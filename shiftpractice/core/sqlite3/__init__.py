"""SQLite as the site uses it: Django's backend, with writers that queue and retry instead of failing (base.py)."""
