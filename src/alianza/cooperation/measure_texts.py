"""What a computed measure says (:mod:`alianza.cooperation.measures`): its value ("8 of 9 BLMs
with a border public safety subgroup") and what its target asks for ("at least 1"), declared
once here in English; the Spanish is in the message catalogue (keys ``measure.…``). A
:class:`~alianza.cooperation.measures.Computed` keeps both languages (``display`` and
``display_es``): each pair is ``TEXT.both(**values)``.
"""

from __future__ import annotations

from alianza.catalogue import Said, declare

# The values, one per measure definition (counted ones take the form of ``n``).
MEETINGS = declare("measure.meetings", ("{n} meeting", "{n} meetings"))
SUBGROUPS = declare("measure.subgroups", "{with_one} of {blms} BLMs with a {topic} subgroup")
POSTS = declare(
    "measure.posts", ("{n} {role} post filled ({counts})", "{n} {role} posts filled ({counts})")
)
POSTS_ELSEWHERE = declare(
    "measure.posts-elsewhere", "{counts}; {partner}'s posts are held on the {partner} node"
)
DELIVERABLE_MISSING = declare("measure.deliverable-missing", "deliverable {key!r} not recorded")
# A deliverable completed, by the precision of its date (alianza.pme.schedule).
COMPLETED_ON = {
    "exact": declare("measure.completed.exact", "completed on {day}"),
    "approximate": declare("measure.completed.approximate", "completed on or before {day}"),
    "month": declare("measure.completed.month", "completed in the month of {day}"),
    "year": declare("measure.completed.year", "completed in the year of {day}"),
}
NOT_COMPLETED = declare("measure.not-completed", "not completed")
TRAINED = declare("measure.trained", "{total} people trained")
DEPLOYMENTS = declare("measure.deployments", ("{n} deployment", "{n} deployments"))
EXCHANGED = declare(
    "measure.exchanged",
    (
        "{on_time} of {n} due quarter exchanged on time",
        "{on_time} of {n} due quarters exchanged on time",
    ),
)
ANSWERED = declare(
    "measure.answered",
    (
        "{in_time} of {n} request answered in time ({share}); median time to acknowledge {median}",
        "{in_time} of {n} requests answered in time ({share}); median time to acknowledge {median}",
    ),
)
CANNOT_COMPUTE = declare("measure.cannot-compute", "cannot compute: {reason}")

# What the targets ask for.
AT_LEAST = declare("measure.target.at-least", "at least {wanted}")
ALL_OF = declare("measure.target.all-of", "{total} of {total}")
EACH_COUNTRY = declare("measure.target.each-country", "at least 1 in each country")
OWN_SIDE = declare("measure.target.own-side", "at least 1 of {country} (this node's side)")
COMPLETED = declare("measure.target.completed", "completed")
ON_TIME = declare("measure.target.on-time", "at least {wanted} on time, every quarter")
IN_TIME = declare("measure.target.in-time", "at least {wanted} % answered in time")

# A parameter out of range, found when the measure is computed.
PERCENT_RANGE = declare("measure.percent-range", "percent={wanted}: 1 to 100")

# Codes the records hold, as the measures' sentences name them (any other code: as it is).
CODES = {
    "border-public-safety": declare("measure.code.border-public-safety", "border public safety"),
    "customs-liaison": declare("measure.code.customs-liaison", "customs liaison"),
}


def code(value: str) -> Said | str:
    """A code of the records as the sentences name it, in each language where it has a name."""
    named = CODES.get(value)
    return named.said() if named is not None else value
