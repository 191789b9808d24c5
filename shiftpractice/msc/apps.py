from django.apps import AppConfig


class MscConfig(AppConfig):
    name = "shiftpractice.msc"
    label = "msc"
    verbose_name = "Most significant change"
