from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "shiftpractice.core"
    label = "core"
    verbose_name = "Core"
