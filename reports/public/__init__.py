"""The profiles' public side: pages (views.py, urls.py) and API (api.py), no login, one
floor above the shared selectors (the public door), content and exports of reports/."""
