"""Performance measures of effectiveness: plans, Alliance Points, actions and their columns.

Pipeline: :mod:`read` (file → :class:`~alianza.pme.document.Report`), :mod:`load` (report →
database, versioned, one transaction), :mod:`query` (database → report), :mod:`export`
(report → TSV, Markdown, HTML, JSON) and :mod:`show` (report → terminal text).
"""
