from typing import Any

from django.contrib.auth.forms import PasswordResetForm
from django.template import loader

from .mail import Mail, mails_queue


class QueuedPasswordResetForm(PasswordResetForm):
    """Sends the reset email through Celery, once the request's transaction has committed; the
    mail is kept until sent (ministries.mail), its text blanked once the mail server took it."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        mails_queue([Mail(subject=subject, body=body, to=[to_email])])
