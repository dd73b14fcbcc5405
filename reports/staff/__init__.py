"""The profiles' staff side: pages (views.py, urls.py) and API (api.py), one floor above
the shared permissions, selectors and services of reports/."""
