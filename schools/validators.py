"""The ranges of a school's published figures (GIAS): checked when a school is edited by hand."""

from bounds import NumberRange

AGE_RANGE = NumberRange("The statutory age", 0, 25, 1)
PUPILS_RANGE = NumberRange("The number of pupils", 0, 10_000, 1)
FSM_RANGE = NumberRange("The percentage of pupils eligible for free school meals", 0, 100, "0.01",
                        step_words="to two decimal places")
# The British National Grid covers Great Britain within 700 km east and 1,300 km north.
GRID_RANGE = NumberRange("A grid reference", 0, 1_300_000, 1, step_words="in whole metres")
