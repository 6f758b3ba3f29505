from .accounts import ApiTokenFactory, MembershipFactory, OrganisationFactory, UserFactory
from .schools import (
    DioceseFactory,
    InspectionFactory,
    JudgementFactory,
    LocalAuthorityFactory,
    SchoolFactory,
    TrustFactory,
    graded_inspection,
)

__all__ = [
    "ApiTokenFactory",
    "DioceseFactory",
    "InspectionFactory",
    "JudgementFactory",
    "LocalAuthorityFactory",
    "MembershipFactory",
    "OrganisationFactory",
    "SchoolFactory",
    "TrustFactory",
    "UserFactory",
    "graded_inspection",
]
