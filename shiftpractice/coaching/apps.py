from django.apps import AppConfig


class CoachingConfig(AppConfig):
    name = "shiftpractice.coaching"
    label = "coaching"
    verbose_name = "Coaching, reflection and peer support"
