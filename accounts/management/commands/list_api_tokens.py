from django.core.management.base import BaseCommand, CommandParser

from accounts.models import ApiToken

from ._api_tokens import find_organisation


class Command(BaseCommand):
    help = (
        "List API tokens (id, prefix, organisation, purpose, created, last used, expiry, revoked), newest "
        "first. Keys are never shown: only their prefixes. Revoked tokens are left out unless "
        "--all is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisation", help="Only this organisation's tokens (id or exact name).")
        parser.add_argument(
            "--all", dest="include_revoked", action="store_true", help="Include revoked tokens."
        )

    def handle(self, *args, organisation: str | None, include_revoked: bool, **options) -> None:
        tokens = ApiToken.objects.select_related("organisation")
        if organisation:
            tokens = tokens.filter(organisation=find_organisation(organisation))
        if not include_revoked:
            tokens = tokens.filter(revoked_at__isnull=True)
        for token in tokens:
            self.stdout.write("\t".join([
                str(token.pk), token.prefix, token.organisation.name, token.name,
                f"{token.created_at:%Y-%m-%d}",
                f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never used",
                f"expires {token.expires_at:%Y-%m-%d}" if token.expires_at else "no expiry",
                f"revoked {token.revoked_at:%Y-%m-%d}" if token.revoked_at else "active",
            ]))
