from django.contrib import admin

from .models import Assessment


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["title_en", "scope", "province", "year", "round", "status", "framework"]
    list_filter = ["scope", "status", "year"]
    list_select_related = ["province", "framework"]
    readonly_fields = ["status", "created_by", "created_at"]
