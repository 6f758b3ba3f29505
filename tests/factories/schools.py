import datetime

import factory

from schools.choices import Framework, Grade, InspectionSource, JudgementArea, Phase, SchoolStatus
from schools.models import Diocese, Inspection, Judgement, LocalAuthority, School, Trust


def unused_authority_code(n: int) -> str:
    """A code from the sequence that no authority has yet, so a test that names its own code (say
    "801") never shares it with an authority the factory makes for another school."""
    taken = set(LocalAuthority.objects.values_list("code", flat=True))
    for step in range(199):
        code = f"{800 + (n + step) % 199:03d}"
        if code not in taken:
            return code
    return f"{800 + n % 199:03d}"


class LocalAuthorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalAuthority
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: unused_authority_code(n))
    name = factory.Sequence(lambda n: f"Authority {n}")
    region = "East of England"


class TrustFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Trust

    code = factory.Sequence(lambda n: str(10000 + n))
    name = factory.Sequence(lambda n: f"Learning Trust {n}")


class DioceseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Diocese

    code = factory.Sequence(lambda n: f"CE{n:03d}")
    name = factory.Sequence(lambda n: f"Diocese of Example {n}")


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    urn = factory.Sequence(lambda n: 900000 + n)
    name = factory.Sequence(lambda n: f"Example Primary School {n}")
    local_authority = factory.SubFactory(LocalAuthorityFactory)
    type_name = "Community school"
    type_group = "Local authority maintained schools"
    phase = Phase.PRIMARY
    status = SchoolStatus.OPEN
    town = "Norwich"
    postcode = factory.Sequence(lambda n: f"NR{n % 30 + 1} {n % 9 + 1}AB")
    easting = factory.Sequence(lambda n: 620000 + n * 100)
    northing = factory.Sequence(lambda n: 308000 + n * 100)
    head_first_name = "Alex"
    head_last_name = factory.Sequence(lambda n: f"Head{n}")
    number_of_pupils = 210


class InspectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inspection

    school = factory.SubFactory(SchoolFactory)
    framework = Framework.GRADED
    inspection_type = "Section 5"
    start_date = factory.Sequence(lambda n: datetime.date(2023, 1, 1) + datetime.timedelta(days=n))
    source = InspectionSource.MANUAL


class JudgementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Judgement

    inspection = factory.SubFactory(InspectionFactory)
    area = JudgementArea.OVERALL_EFFECTIVENESS
    grade = Grade.GOOD


def graded_inspection(school: School, grade: str, on: datetime.date | None = None) -> Inspection:
    """A graded inspection with an overall effectiveness grade, made the school's latest."""
    inspection = InspectionFactory(school=school, start_date=on or datetime.date(2023, 5, 10))
    JudgementFactory(inspection=inspection, grade=grade)
    school.latest_inspection = inspection
    school.save(update_fields=["latest_inspection"])
    return inspection
