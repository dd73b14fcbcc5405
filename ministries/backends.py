"""The sign-in backend: Django's ModelBackend, with the read of the signed-in user that
every page makes compiled once per process (config/compiled_sql.py)."""

from typing import Any

from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

from config.compiled_sql import CompiledModels

from .models import User

# The user of a session, on every signed-in request: `User._default_manager.get(pk=…)`.
_USER = CompiledModels(lambda pk: User._default_manager.filter(pk=pk))


class ModelBackend(DjangoModelBackend):
    """Passwords and permissions as Django's; `get_user` (the session's user on every
    request) through a compiled query instead of a queryset built each time."""

    def get_user(self, user_id: Any) -> User | None:
        if not isinstance(user_id, int):
            found: User | None = super().get_user(user_id)
            return found
        users = _USER.objects(None, pk=user_id)
        user = users[0] if users else None
        return user if user is not None and self.user_can_authenticate(user) else None
