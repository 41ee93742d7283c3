"""Port operations (Alliance Point 10, action 10.7): crossing volumes (BTS), border wait times
(CBP), their analysis and a queueing model of a crossing. The liaison between port officials
(10.6: alerts, directory, drills) is :mod:`alianza.liaison`; :mod:`alianza.ports.reference` is
the one module the two share, and :mod:`alianza.ports.demo` runs both for the demo."""
