"""The quarterly exchange between the two national nodes (action 10.9).

A node has an Ed25519 key pair (:mod:`keys`); each quarter it builds one signed package
(:mod:`package`) of SDMX-CSV tables (:mod:`sdmx`); the partner verifies it against the keys it
trusts (:mod:`verify`) and stores it as partner data (:mod:`receive`). The exchange log
(:mod:`log`) records when each package was built, sent, received and acknowledged.
"""
