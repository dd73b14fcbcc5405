"""The archive of a round: one zipped BagIt bag (RFC 8493) of everything the round holds.

- writer.py   the payload folder: files under safe, unique names, each one hashed as it is
              written, and the index entries that describe them
- records.py  what the database holds, read into plain rows (answers and their history,
              evidence, the survey matrix, validation, snapshots)
- build.py    the payload, section by section; then the bag and the zip
- index.py    the index in HTML and CSV, in English and in Bahasa Indonesia
- services.py request, build (the Celery task's service), fail, download
- views.py, api.py, urls.py: the assessment page's section and the API
"""
