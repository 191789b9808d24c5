from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "shiftpractice.library"
    label = "library"
    verbose_name = "The public library"
