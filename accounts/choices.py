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
    SCHOOL_LEADER = "school_leader", "School leader"
    ASSOCIATE = "associate", "Associate"


# Which roles make sense in which kind of organisation; membership validation uses it.
ROLES_BY_ORGANISATION_KIND = {
    OrganisationKind.LOCAL_AUTHORITY: {Role.LA_OFFICER, Role.COMMISSIONER},
    OrganisationKind.DIOCESE: {Role.COMMISSIONER},
    OrganisationKind.ACADEMY_TRUST: {Role.COMMISSIONER},
    OrganisationKind.SCHOOL: {Role.SCHOOL_LEADER, Role.COMMISSIONER},
    OrganisationKind.TEACHING_SCHOOL: {
        Role.TEACHING_SCHOOL_LEAD, Role.SCHOOL_LEADER, Role.COMMISSIONER,
    },
    OrganisationKind.NATIONAL_BODY: {Role.NATIONAL_ADMINISTRATOR, Role.COMMISSIONER, Role.ASSOCIATE},
    OrganisationKind.AGENCY: {Role.COMMISSIONER, Role.ASSOCIATE},
}
