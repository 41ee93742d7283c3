"""Accounts: local users with Argon2 password hashes, roles scoped to a country and an agency,
API tokens for scripts, and the permissions each role grants."""
