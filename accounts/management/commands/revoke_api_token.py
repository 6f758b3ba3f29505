from django.core.management.base import BaseCommand, CommandParser

from accounts import services

from ._api_tokens import find_token


class Command(BaseCommand):
    help = (
        "Revoke an API token at once: every later request with its key is refused with 401. "
        "Name the token by its id or its prefix (the first 8 characters of the key, shown by "
        "list_api_tokens and in the admin). The organisation's administrators are emailed that it was "
        "revoked. Revoking a revoked token changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("token", metavar="prefix-or-id", help="The token's key prefix or its id.")

    def handle(self, *args, token: str, **options) -> None:
        api_token = find_token(token)
        if not services.revoke_api_token(api_token):
            revoked_on = f"{api_token.revoked_at:%Y-%m-%d %H:%M}"
            self.stdout.write(f"Token {api_token.pk} ({api_token}) was already revoked on {revoked_on}.")
            return
        self.stdout.write(self.style.SUCCESS(f"Revoked token {api_token.pk}: {api_token}."))
