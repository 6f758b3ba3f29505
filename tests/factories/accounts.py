import factory

from accounts.choices import OrganisationKind, Role
from accounts.models import ApiToken, Membership, Organisation, User

from .schools import LocalAuthorityFactory

DEFAULT_PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def save_password(self, create, extracted, **kwargs):
        if create:
            self.save()


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = OrganisationKind.LOCAL_AUTHORITY
    name = factory.Sequence(lambda n: f"Organisation {n}")
    local_authority = factory.Maybe(
        factory.LazyAttribute(lambda o: o.kind == OrganisationKind.LOCAL_AUTHORITY),
        yes_declaration=factory.SubFactory(LocalAuthorityFactory),
        no_declaration=None,
    )


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.LA_OFFICER


class ApiTokenFactory:
    """Issues a token through the model's own door and returns (token, key)."""

    @staticmethod
    def create(organisation: Organisation, name: str = "Partner sync") -> tuple[ApiToken, str]:
        return ApiToken.issue(organisation=organisation, name=name)
