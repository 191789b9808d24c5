from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "shiftpractice.home"
    label = "home"
    verbose_name = "Home"
