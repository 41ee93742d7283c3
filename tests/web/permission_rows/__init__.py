"""Rows of the route × role matrix (tests/web/test_permissions.py), one module a domain.

Each module defines:

- ``ROUTES``: name → (method, path as requested, route template);
- ``ALLOWED``: role (a username of tests/web/conftest.USERS) → the names that role may call;
  a role left out may call none of the module's routes;
- optionally ``call(client, name, csrf) -> int | None``: the status of a request that needs a
  body of its own (a file upload, a JSON document); ``None`` leaves it to the default (GET, or
  a form post of test_permissions.FORM with the CSRF token).
- optionally ``get(client, name) -> int | None``: the same for a GET that needs something
  made first (a record of the logged-in user's own country, say).

Outcomes are literal sets written here, never derived from the code's grants.
"""
