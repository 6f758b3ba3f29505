"""What brokerage tells the apps above it, so they can follow without brokerage importing them."""

from django.dispatch import Signal

# Sent by ``services.change_status`` inside the request's lock, once the request is saved as
# withdrawn or closed, with ``request``, ``actor`` and ``reason``. A receiver that raises a
# BrokerageError refuses the change (the transaction rolls back). Deployments ends the live
# proposals on the request here.
request_ending = Signal()
