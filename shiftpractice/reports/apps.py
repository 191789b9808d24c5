from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "shiftpractice.reports"
    label = "reports"
    verbose_name = "Evaluation reports"
