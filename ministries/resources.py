"""django-import-export resources for the reference lists kept by administrators."""

from import_export import fields, resources, widgets

from .models import Institution, Province


class ProvinceResource(resources.ModelResource):
    class Meta:
        model = Province
        import_id_fields = ["code"]
        fields = ["code", "name_en", "name_id"]
        skip_unchanged = True
        report_skipped = False


class InstitutionResource(resources.ModelResource):
    province = fields.Field(
        column_name="province",
        attribute="province",
        widget=widgets.ForeignKeyWidget(Province, field="code"),
    )
    successor = fields.Field(
        column_name="successor",
        attribute="successor",
        widget=widgets.ForeignKeyWidget(Institution, field="acronym"),
    )

    class Meta:
        model = Institution
        import_id_fields = ["acronym"]
        fields = [
            "acronym",
            "name_en",
            "name_id",
            "level",
            "kind",
            "province",
            "website",
            "valid_from",
            "valid_to",
            "successor",
        ]
        skip_unchanged = True
        clean_model_instances = True
