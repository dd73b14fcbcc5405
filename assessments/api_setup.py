# API of the coordinators' setup: survey matrix workbook export/import.
urlpatterns: list = []
