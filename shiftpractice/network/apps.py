from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "shiftpractice.network"
    label = "network"
    verbose_name = "The network: expressions of interest and offers of help"
