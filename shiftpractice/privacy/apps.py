from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "shiftpractice.privacy"
    label = "privacy"
    verbose_name = "People's rights over their data"
