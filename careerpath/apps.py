from django.apps import AppConfig


class CareerPathConfig(AppConfig):
    name = "careerpath"

    def ready(self) -> None:
        from . import signals, throttle  # noqa: F401 - signal receivers: the log-out message, failed log-ins per address
