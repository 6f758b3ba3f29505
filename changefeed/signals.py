from django.dispatch import Signal

# Sent after events have been given their feed positions (committed), with ``event_ids``: the apps
# above (webhooks) deliver them. A receiver must not raise: the events are already published.
events_published = Signal()
