"""The audit trail in the Django admin: read only. Nobody, not even a superuser, can add,
change or delete an audit event here."""

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.errors import ServiceError
from assessments.permissions import request_user
from assessments.setup.removal import response_restore

from .models import Action, AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "actor_name", "ip", "action", "object_repr", "assessment", "institution"]
    list_filter = ["action", "at"]
    list_select_related = ["assessment", "institution"]
    search_fields = ["actor_name", "object_repr", "reason"]
    date_hierarchy = "at"
    actions = ["restore_responses"]

    @admin.action(
        description=gettext_lazy("Restore the removed responses (their cells assigned again)")
    )
    def restore_responses(self, request: HttpRequest, queryset: QuerySet[AuditEvent]) -> None:
        """Bring back what a survey-matrix change removed with a reason (removal.py)."""
        for event in queryset.filter(action=Action.RESPONSE_REMOVED):
            try:
                response_restore(event=event, actor=request_user(request))
            except ServiceError as exc:
                self.message_user(request, f"{event.object_repr}: {exc.message}", messages.ERROR)
            else:
                self.message_user(
                    request, _("Restored: %(response)s") % {"response": event.object_repr}
                )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
