from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Profiles")

    def ready(self) -> None:
        # Register the Celery tasks in every process, web ones included: the services send
        # the render task by its name (services.RENDER_TASK), and only a registered task runs
        # eagerly where CELERY_TASK_ALWAYS_EAGER is set. Not a way round an import cycle:
        # nothing that tasks imports imports this module.
        from . import (
            findings,
            follow,
            freshness,
            tasks,  # noqa: F401
        )

        freshness.connect()
        findings.connect()
        follow.connect()
