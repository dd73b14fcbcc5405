"""The media storage: Django's FileSystemStorage, which leaves behind the part of a file it
had written when the disk fills up (ENOSPC) or the write fails otherwise. This one removes
that part, so that no file lies in the media folder that no row names and no half-written
file is ever served. The error itself goes on (config/unavailable.py answers it)."""

import contextlib
import os
from typing import Any

from django.core.files.storage import FileSystemStorage


class MediaStorage(FileSystemStorage):
    def _save(self, name: str, content: Any) -> str:
        path = self.path(name)
        existed = os.path.lexists(path)
        try:
            return str(super()._save(name, content))  # type: ignore[misc]
        except OSError:
            # O_EXCL: a file at this path that was not there before is the one this save
            # began. Stored names are random, so a retry under another name is not lost.
            if not existed:
                with contextlib.suppress(OSError):
                    os.remove(path)
            raise
