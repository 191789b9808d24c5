from django.apps import AppConfig


class CohortsConfig(AppConfig):
    name = "shiftpractice.cohorts"
    label = "cohorts"
    verbose_name = "Cohorts and workshops"
