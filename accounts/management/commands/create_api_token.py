import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts import services
from accounts.models import ApiToken

from ._api_tokens import find_organisation

NAME_MAX_LENGTH = ApiToken._meta.get_field("name").max_length


class Command(BaseCommand):
    help = (
        "Issue an API token for an organisation and print its key. The key is printed once and "
        "only its digest is stored: give it to the partner system straight away. The token sees "
        "what the organisation may see (a local authority its own schools, a national body all). "
        "The organisation's administrators are emailed that it was created. "
        "Example: manage.py create_api_token --organisation \"Norfolk County Council\" "
        "--name \"LA MIS nightly sync\" --expires 2027-07-31"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--organisation", required=True,
            help="The organisation's id or exact name (case does not matter).",
        )
        parser.add_argument(
            "--name", required=True,
            help=f"What the token is for, at most {NAME_MAX_LENGTH} characters.",
        )
        parser.add_argument(
            "--expires", metavar="YYYY-MM-DD",
            help="The day the token stops working (as it starts, UK time): after today and at most "
            "two years ahead. Without it the token does not expire.",
        )

    def handle(self, *args, organisation: str, name: str, expires: str | None, **options) -> None:
        owner = find_organisation(organisation)
        purpose = self._valid_name(name)
        try:
            token, key = services.issue_api_token(
                organisation=owner, name=purpose, expires_on=self._expiry_date(expires)
            )
        except ValidationError as error:
            messages = [m for field_messages in error.message_dict.values() for m in field_messages]
            raise CommandError(f"--expires {expires}: {' '.join(messages)}") from error
        expiry = f"expires {token.expires_at:%Y-%m-%d}" if token.expires_at else "does not expire"
        self.stdout.write(
            f"Issued token {token.pk} (prefix {token.prefix}) “{token.name}” for {owner}; it {expiry}.\n"
            "Copy this key now: it is not stored and will not be shown again."
        )
        self.stdout.write(key)

    @staticmethod
    def _valid_name(name: str) -> str:
        purpose = name.strip()
        if not purpose:
            raise CommandError("--name must not be blank: say what the token is for.")
        if len(purpose) > NAME_MAX_LENGTH:
            raise CommandError(f"--name is {len(purpose)} characters long; the limit is {NAME_MAX_LENGTH}.")
        return purpose

    @staticmethod
    def _expiry_date(expires: str | None) -> datetime.date | None:
        if expires is None:
            return None
        try:
            return datetime.date.fromisoformat(expires.strip())
        except ValueError as error:
            raise CommandError(f"--expires {expires!r} is not a date: give it as YYYY-MM-DD.") from error
