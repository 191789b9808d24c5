from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "shiftpractice.api"
    label = "api"
    verbose_name = "REST API and personal access tokens"
