from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "webhooks"
    verbose_name = "Webhooks"

    def ready(self) -> None:
        from changefeed.signals import events_published

        from . import signals

        events_published.connect(signals.deliver_published_events, dispatch_uid="webhooks-deliver")
