from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.admin import ImportExportModelAdmin

from . import mfa
from .models import Institution, Province, User
from .resources import InstitutionResource, ProvinceResource


@admin.register(Province)
class ProvinceAdmin(ImportExportModelAdmin):
    resource_classes = [ProvinceResource]
    list_display = ["code", "name_en", "name_id"]
    search_fields = ["code", "name_en", "name_id"]


@admin.register(Institution)
class InstitutionAdmin(ImportExportModelAdmin):
    resource_classes = [InstitutionResource]
    list_display = [
        "acronym",
        "name_en",
        "level",
        "province",
        "valid_from",
        "valid_to",
        "successor",
    ]
    list_filter = ["level", "kind", "province"]
    search_fields = ["acronym", "name_en", "name_id"]
    list_select_related = ["province", "successor"]
    autocomplete_fields = ["successor", "province"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "email", "role", "institution", "province", "is_active"]
    list_filter = ["role", "is_active", "institution__level"]
    list_select_related = ["institution", "province"]
    autocomplete_fields = ["institution", "province"]
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (
            _("MGI role"),
            {"fields": ("role", "institution", "province", "language", "notifications_enabled")},
        ),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("MGI role"), {"fields": ("email", "role", "institution", "province", "language")}),
    )
    actions = ["reset_two_step"]

    @admin.action(description=_("Reset two-step verification (lost phone)"))
    def reset_two_step(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        """The authenticator and recovery codes go and the users' sessions and API tokens
        end: at the next sign-in, a required role sets up a new authenticator."""
        actor = request.user
        assert isinstance(actor, User)
        users = list(queryset)
        for user in users:
            mfa.user_mfa_reset(user=user, actor=actor)
        self.message_user(
            request,
            ngettext(
                "Two-step verification is reset for %(count)d user.",
                "Two-step verification is reset for %(count)d users.",
                len(users),
            )
            % {"count": len(users)},
            messages.SUCCESS,
        )
