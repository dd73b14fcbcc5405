from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MinistriesConfig(AppConfig):
    name = "ministries"
    verbose_name = _("Institutions and people")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the logout receiver)
