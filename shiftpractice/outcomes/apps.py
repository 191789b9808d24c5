from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "shiftpractice.outcomes"
    label = "outcomes"
    verbose_name = "Outcome harvesting"
