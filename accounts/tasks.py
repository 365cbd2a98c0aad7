"""The invitation email. It carries the link's token, which only this email ever holds: the
database keeps a hash of it."""

import logging
from smtplib import SMTPException

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail import send_mail
from django.utils import formats, timezone, translation
from django.utils.translation import gettext

from accounts.models import Invitation, User, invitation_token_hash
from accounts.services import invitation_link

log = logging.getLogger(__name__)

# OSError covers refused connections and socket timeouts.
SEND_FAILURES = (SMTPException, OSError, SoftTimeLimitExceeded)


@shared_task(
    autoretry_for=SEND_FAILURES,
    retry_backoff=30,
    retry_backoff_max=30 * 60,
    retry_jitter=False,
    max_retries=6,
    soft_time_limit=60,
    time_limit=90,
)
def send_invitation_email(invitation_id, token, site):
    invitation = (
        Invitation.objects.select_related("district", "invited_by")
        .filter(pk=invitation_id, token_hash=invitation_token_hash(token))
        .first()
    )
    # A resend or a revoke since this was queued: the link it would send no longer works.
    if invitation is None or invitation.status != Invitation.Status.PENDING:
        return "nothing to send"
    # Someone with an account gets it in the language they picked; a newcomer in the site's.
    known = User.objects.filter(email__iexact=invitation.email).values_list("language", flat=True)
    language = next(iter(known), "") or settings.LANGUAGE_CODE
    with translation.override(language):
        inviter = invitation.invited_by.get_full_name() if invitation.invited_by else ""
        subject = gettext("You are invited to %(district)s") % {
            "district": invitation.district.name
        }
        expires = formats.date_format(timezone.localtime(invitation.expires_at))
        body = gettext(
            "%(inviter)s invited you to join %(district)s on the district planning site as "
            "%(role)s.\n\nOpen this link to accept and set your password:\n%(link)s\n\n"
            "The link works until %(expires)s and only once. If you did not expect this "
            "invitation, ignore this email.\n"
        ) % {
            "inviter": inviter or gettext("A district admin"),
            "district": invitation.district.name,
            "role": invitation.get_role_display(),
            "link": invitation_link(site=site, token=token),
            "expires": expires,
        }
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.email])
    return "sent"


def queue_invitation_email(invitation_id, token, site):
    """Queues the email; if that fails (no broker, or a send failing in-process), the admin
    sees the invitation pending and can send it again, so the caller carries on."""
    try:
        send_invitation_email.delay(invitation_id, token, site)
    except Exception:
        log.exception("Could not send the email of invitation %s", invitation_id)
