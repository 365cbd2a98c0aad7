from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from dashboard.demo import ACCOUNTS


class Command(BaseCommand):
    help = (
        "Runs a pretend OpenID Connect identity provider (oidc-provider-mock) for the demo "
        "district's single sign-on, at SSO_DEMO_URL. Its sign-in page lists the demo accounts; "
        "any other address can be typed in. For trying the site locally only."
    )

    def handle(self, *args, **options):
        # A development package (requirements-dev.lock), not in the production image.
        try:
            from oidc_provider_mock import User, app
        except ImportError:
            raise CommandError(
                "The demo identity provider needs the development packages: "
                "pip install --require-hashes -r requirements.lock -r requirements-dev.lock"
            ) from None

        address = urlsplit(settings.SSO_DEMO_URL)
        users = [
            User(sub=email, claims={"email": email, "email_verified": True, "name": full_name})
            for email, full_name, _role, _title in ACCOUNTS
        ]
        self.stdout.write(f"The demo identity provider is at {settings.SSO_DEMO_URL}/")
        app(user_claims=users).run(
            host=address.hostname or "127.0.0.1",
            port=address.port or 9400,
            use_reloader=False,
            debug=False,
        )
