from django.apps import AppConfig


class ContentConfig(AppConfig):
    name = "shiftpractice.content"
    label = "content"
    verbose_name = "The model (versioned content)"
