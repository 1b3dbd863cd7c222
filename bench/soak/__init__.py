"""Soak: several hundred concurrent clients of mixed reads and writes against gunicorn.

Then the database is checked against their answers (bench/README.md, "Soak")."""
