from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "shiftpractice.network"
    label = "network"
    verbose_name = "The network: expressions of interest and offers of help"

    def ready(self) -> None:
        from shiftpractice.cohorts.calendar import register_feed_source

        from .events import feed_events

        register_feed_source(feed_events)
