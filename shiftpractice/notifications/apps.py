from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "shiftpractice.notifications"
    label = "notifications"
    verbose_name = "Notifications"
