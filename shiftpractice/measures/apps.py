from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "shiftpractice.measures"
    label = "measures"
    verbose_name = "Measures and charts"
