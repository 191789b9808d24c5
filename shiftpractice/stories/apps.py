from django.apps import AppConfig


class StoriesConfig(AppConfig):
    name = "shiftpractice.stories"
    label = "stories"
    verbose_name = "Case studies"
