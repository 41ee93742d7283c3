"""The words of the port-services analysis (10.7, :mod:`alianza.ports.document`): English here,
Spanish in the message catalogue (keys ``ports.document.…``; :mod:`alianza.catalogue`)."""

from __future__ import annotations

from alianza.catalogue import Message, Text, declare


def _text(name: str, english: Message) -> Text:
    return declare(f"ports.document.{name}", english)


LANE_LABELS = {
    lane: _text(f"lane.{lane}", english)
    for lane, english in {
        "passenger": "Vehicles, general",
        "passenger_ready": "Vehicles, Ready",
        "passenger_x": "Vehicles, x (SENTRI?)",
        "pedestrian": "Pedestrians, general",
        "pedestrian_ready": "Pedestrians, Ready",
    }.items()
}
TITLE = _text("title", "Port services analysis: {port} – {city}")
INTRO = _text(
    "intro",
    "Alliance Point 10, action 10.7. Port {code} ({state}); counterpart across the border: "
    "{city}, {city_state} (compiled pairing, not verified). Sources: BTS Border Crossing Entry "
    "Data (inbound, monthly) and CBP Border Wait Times (historical hourly averages). A missing "
    "month is 'not reported', not zero.",
)
VOLUMES = _text("volumes", "Volumes by mode")
YEAR = _text("year", "Year")
ALL_ZERO = _text("all-zero", "missing (all 0)")
VOLUMES_NOTE = _text("volumes-note", "(*) fewer than 12 months reported; – no data.")
SEASONALITY = _text("seasonality", "Seasonality and trend")
MODE = _text("mode", "Mode")
YEARS = _text("years", "Years")
CHANGE_PER_YEAR = _text("change-per-year", "Change per year")
OF_MEAN = _text("of-mean", "% of mean")
WAITS = _text("waits", "Wait times at {name} (crossing {number})")
WAITS_NOTE = _text(
    "waits-note",
    "Mean wait in standard passenger-vehicle lanes by weekday and hour, averaged over the 12 "
    "months of CBP's historical file (reference year not stated by CBP).",
)
MODEL_HEADING = _text("model-heading", "A model of the crossing")
MODEL = _text(
    "model",
    "One stationary queue per hour of the week, with Kingman's heavy-traffic formula: wait = "
    "A × ρ / (1 − ρ), ρ the utilisation of the lanes. The busiest hour runs at {peak:.0%} "
    "utilisation (chosen by cross-validation), which gives A = {scale:.1f} min and every hour's "
    "utilisation from its observed wait. BTS's {year} volume ({daily} per day) then gives "
    "{lanes:.1f} effective lanes at {seconds:.0f} s per primary inspection. A month with more "
    "traffic has a proportionally higher utilisation in every hour.",
)
FIT_HEADING = _text("fit-heading", "How well it fits")
FIT = _text(
    "fit",
    "Each month left out in turn: the model is calibrated on the other 11 months (including the "
    "choice of the peak utilisation) and predicts the month's 168 hourly waits from its BTS "
    "volume. Naive forecasts on the same hours: the other months' mean at the same weekday and "
    "hour, and their overall mean. Mean absolute error per hour, minutes (bias in brackets):",
)
LANES = _text("lanes", "Lanes")
MODEL_COLUMN = _text("model-column", "Model")
SAME_HOUR = _text("same-hour", "Same weekday and hour")
OVERALL_MEAN = _text("overall-mean", "Overall mean")
LANE_GROUP = _text("lane-group", "Lane-group form")
PROPORTIONAL = _text("proportional", "Proportional")
DEDICATED = _text(
    "dedicated",
    "Dedicated lanes, checked: the Ready and x lanes are lane groups of their own. Fitted to "
    "their 168 hourly waits, the model's form (utilisation u × the general lanes', scale κ × A) "
    "against waits proportional to the general lanes' and against the lane's mean (mean "
    "absolute error, minutes; a fit on the same hours, not a forecast):",
)
OPTIONS_HEADING = _text("options-heading", "Options: lanes, commuter lanes, inspection technology")
OPTIONS = _text(
    "options",
    "Demand as calibrated, with no demand response (drivers who today avoid peak hours would "
    "come back as waits fall): read these as upper bounds of the benefit. Their order is not "
    "established: it can change with the BTS reference year and with the inspection time, "
    "which no file gives.",
)
SCENARIO = _text("scenario", "Scenario")
MEAN_WAIT = _text("mean-wait", "Mean wait (min)")
PEAK_WAIT = _text("peak-wait", "Peak wait (min)")
COMMUTER = _text("commuter", "Commuter lanes (min)")
MEAN_WAIT_RANGE = _text("mean-wait-range", "Mean wait, range (min)")
SENSITIVITY = _text(
    "sensitivity",
    "Sensitivity to the inputs no file gives: BTS reference years {years} and inspection times "
    "of {seconds} s per vehicle.",
)
SENSITIVITY_REFUSED = _text(
    "sensitivity-refused",
    "Sensitivity to the inputs no file gives: BTS reference years {years} and inspection times "
    "of {seconds} s per vehicle (years {refused} refused: degenerate calibration).",
)
ORDER_HOLDS = _text("order-holds", "The order of the options is the same in every case.")
ORDER_CHANGES = _text(
    "order-changes",
    "The order of the options changes ({count} different orders): no ranking of them is claimed.",
)
AGAINST_SAME_HOUR = _text("against-same-hour", "the same-hour mean")
AGAINST_OVERALL = _text("against-overall", "the overall mean")
NOT_DISTINGUISHABLE = _text(
    "not-distinguishable",
    "Against {name}: naive − model error {span} per hour (95 % bootstrap interval, {months} "
    "months): not distinguishable from the naive forecast.",
)
CLOSER = _text(
    "closer",
    "Against {name}: naive − model error {span} per hour (95 % bootstrap interval, {months} "
    "months): the model is closer; the interval excludes zero.",
)
WORSE = _text(
    "worse",
    "Against {name}: naive − model error {span} per hour (95 % bootstrap interval, {months} "
    "months): the model is worse; the interval excludes zero.",
)
TEST_PASSED = _text(
    "test-passed",
    "Stated test (the interval of the same-hour comparison excludes zero, the model closer): "
    "passed: the model is validated for the effect of a month's volume on its waits. Volume "
    "and mean wait correlate at {correlation:+.2f} across months.",
)
TEST_NOT_PASSED = _text(
    "test-not-passed",
    "Stated test (the interval of the same-hour comparison excludes zero, the model closer): "
    "not passed: the model is not validated for the effect of volume on waits. The weekly "
    "shape is reproduced by construction (the profile is the other months' mean), which is not "
    "a test of the model. Volume and mean wait correlate at {correlation:+.2f} across months.",
)
WEEKDAY = _text("weekday", "Weekday")
BUSIEST_HOUR = _text("busiest-hour", "Busiest hour")
ITS_MEAN_WAIT = _text("its-mean-wait", "Its mean wait (min)")
NO_CROSSINGS = _text("no-crossings", "no crossings held for port {port}; import the BTS file first")
