from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import ApiToken

from ._api_tokens import find_organisation

NAME_MAX_LENGTH = ApiToken._meta.get_field("name").max_length


class Command(BaseCommand):
    help = (
        "Issue an API token for an organisation and print its key. The key is printed once and "
        "only its digest is stored: give it to the partner system straight away. The token sees "
        "what the organisation may see (a local authority its own schools, a national body all). "
        "Example: manage.py create_api_token --organisation \"Norfolk County Council\" "
        "--name \"LA MIS nightly sync\""
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

    def handle(self, *args, organisation: str, name: str, **options) -> None:
        owner = find_organisation(organisation)
        purpose = self._valid_name(name)
        token, key = ApiToken.issue(organisation=owner, name=purpose)
        self.stdout.write(
            f"Issued token {token.pk} (prefix {token.prefix}) “{token.name}” for {owner}.\n"
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
