from django.apps import AppConfig


class CoachingConfig(AppConfig):
    name = "shiftpractice.coaching"
    label = "coaching"
    verbose_name = "Coaching, reflection and peer support"

    def ready(self):
        from shiftpractice.notifications.broadcasts import register_audience

        from .services.discussions import board_audience, thread_audience

        register_audience("board", board_audience)
        register_audience("thread", thread_audience)
