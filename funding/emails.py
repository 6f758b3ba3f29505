"""Emails about claims and payments, to the people who must act next. Services call them through
``transaction.on_commit`` (see ``funding.services.claims._notify``)."""
