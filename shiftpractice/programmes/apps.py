from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "shiftpractice.programmes"
    label = "programmes"
    verbose_name = "Programmes"
