from django.db import models


class OrganisationKind(models.TextChoices):
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    DIOCESE = "diocese", "Diocese"
    ACADEMY_TRUST = "academy_trust", "Academy trust"
    SCHOOL = "school", "School"
    TEACHING_SCHOOL = "teaching_school", "Teaching school"
    NATIONAL_BODY = "national_body", "National body"
    AGENCY = "agency", "Approved agency"


# Organisations whose remit is national: their members and tokens see every school.
NATIONAL_KINDS = {OrganisationKind.NATIONAL_BODY, OrganisationKind.AGENCY}


class Role(models.TextChoices):
    NATIONAL_ADMINISTRATOR = "national_administrator", "National administrator"
    LA_OFFICER = "la_officer", "Local authority officer"
    TEACHING_SCHOOL_LEAD = "teaching_school_lead", "Teaching-school lead"
    COMMISSIONER = "commissioner", "Commissioner"
    HEADTEACHER = "headteacher", "Headteacher"
    SCHOOL_LEADER = "school_leader", "School leader"
    SCHOOL_BUSINESS_MANAGER = "school_business_manager", "School business manager"
    ASSOCIATE = "associate", "Associate"


# Which roles make sense in which kind of organisation; membership validation uses it.
ROLES_BY_ORGANISATION_KIND = {
    OrganisationKind.LOCAL_AUTHORITY: {Role.LA_OFFICER, Role.COMMISSIONER},
    OrganisationKind.DIOCESE: {Role.COMMISSIONER},
    OrganisationKind.ACADEMY_TRUST: {Role.COMMISSIONER},
    OrganisationKind.SCHOOL: {
        Role.HEADTEACHER, Role.SCHOOL_LEADER, Role.SCHOOL_BUSINESS_MANAGER, Role.COMMISSIONER,
    },
    OrganisationKind.TEACHING_SCHOOL: {
        Role.TEACHING_SCHOOL_LEAD, Role.HEADTEACHER, Role.SCHOOL_LEADER, Role.SCHOOL_BUSINESS_MANAGER,
        Role.COMMISSIONER,
    },
    OrganisationKind.NATIONAL_BODY: {Role.NATIONAL_ADMINISTRATOR, Role.COMMISSIONER, Role.ASSOCIATE},
    OrganisationKind.AGENCY: {Role.COMMISSIONER, Role.ASSOCIATE},
}

# A headteacher is a school leader who may also manage their school's people: every check that
# recognises school leaders uses this set.
SCHOOL_LEADER_ROLES = frozenset({Role.SCHOOL_LEADER, Role.HEADTEACHER})

# Who claims and is paid for a school's support work: its head or its school business manager.
SCHOOL_FINANCE_ROLES = frozenset({Role.HEADTEACHER, Role.SCHOOL_BUSINESS_MANAGER})

# The roles a manager may grant, by the role that makes them a manager. What they may grant in a
# given organisation is this set intersected with ROLES_BY_ORGANISATION_KIND for its kind; national
# administrators may grant any role the organisation's kind allows.
GRANTABLE_BY_MANAGER_ROLE = {
    Role.LA_OFFICER: frozenset(
        {
            Role.LA_OFFICER, Role.COMMISSIONER, Role.HEADTEACHER, Role.SCHOOL_LEADER,
            Role.SCHOOL_BUSINESS_MANAGER,
        }
    ),
    Role.TEACHING_SCHOOL_LEAD: frozenset(
        {
            Role.TEACHING_SCHOOL_LEAD, Role.HEADTEACHER, Role.SCHOOL_LEADER, Role.COMMISSIONER,
            Role.SCHOOL_BUSINESS_MANAGER,
        }
    ),
    Role.HEADTEACHER: frozenset(
        {Role.HEADTEACHER, Role.SCHOOL_LEADER, Role.COMMISSIONER, Role.SCHOOL_BUSINESS_MANAGER}
    ),
    Role.COMMISSIONER: frozenset({Role.COMMISSIONER}),
}

# GIAS "establishment type group" of the schools a local authority maintains (and so manages).
LA_MAINTAINED_TYPE_GROUP = "Local authority maintained schools"

# The organisations a person may ask to join from the sign-in page.
REQUESTABLE_KINDS = (
    OrganisationKind.SCHOOL, OrganisationKind.LOCAL_AUTHORITY,
    OrganisationKind.ACADEMY_TRUST, OrganisationKind.DIOCESE,
)


class AccessRequestState(models.TextChoices):
    UNCONFIRMED = "unconfirmed", "Email not confirmed"
    AWAITING_DECISION = "awaiting_decision", "Awaiting a decision"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"


class EmailKind(models.TextChoices):
    """Informational emails a person may turn off; accounts.emails.informational_recipients applies
    the choice. Emails that need the person to act (invitations, access requests to answer,
    agreements to sign, changes requested, reviews due, referee requests, partnership requests,
    escalations) are not listed here and are always sent, as is anything to a shared inbox."""

    APPLICATION_UPDATES = "application_updates", "Updates on your applications (received, decided)"
    DESIGNATION_UPDATES = (
        "designation_updates",
        "Changes to designations you hold or your organisation made (made, status changed, "
        "de-designation case decided)",
    )
    DEPLOYMENT_UPDATES = (
        "deployment_updates",
        "Progress of deployments you take part in (agreed, started, paused, resumed, ended, completed)",
    )
    PARTNERSHIP_UPDATES = (
        "partnership_updates", "Answers to your requests for a professional partner (accepted, declined)"
    )
    PEOPLE_UPDATES = "people_updates", "Someone accepted an invitation you sent"
