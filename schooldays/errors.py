from refusals import Refusal


class SchoolDaysError(Refusal):
    """A refused change to term dates, with the message for the person who tried it."""
