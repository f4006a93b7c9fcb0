from django.apps import AppConfig


class CareerPathConfig(AppConfig):
    name = "careerpath"

    def ready(self) -> None:
        from . import throttle  # noqa: F401 - counts failed log-ins per address (a signal receiver)
