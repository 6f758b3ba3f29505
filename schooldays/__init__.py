"""School days: the school years, the term dates (a national default, overridable per local
authority) and the calendar that counts school days over them. Above ``accounts``, below
``designations``."""
