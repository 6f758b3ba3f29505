class DataProtectionError(Exception):
    """A refused data-protection action: the page shows the message as an error."""
