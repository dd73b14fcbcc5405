"""The audit trail in the Django admin: read only. Nobody, not even a superuser, can add,
change or delete an audit event here."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "actor_name", "ip", "action", "object_repr", "assessment", "institution"]
    list_filter = ["action", "at"]
    list_select_related = ["assessment", "institution"]
    search_fields = ["actor_name", "object_repr", "reason"]
    date_hierarchy = "at"

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
