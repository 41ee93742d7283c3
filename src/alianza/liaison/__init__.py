"""Liaison between port officials (Alliance Point 10, action 10.6): counterpart alerts and
requests, the contact directory, drills, their delivery to the partner node (signed, leased,
live), notifications and the communication measures. Port codes and names come from
:mod:`alianza.ports.reference`, the one module it shares with the port-operations package."""
