"""Seed the national designation types, their criteria and training, the Ofsted rules they use,
and a starting list of specialisms. Administrators can change all of it afterwards."""

from django.db import migrations

GOOD_OR_BETTER_REPORT_CARD = ["exceptional", "strong_standard", "expected_standard"]
STRONG_OR_BETTER_REPORT_CARD = ["exceptional", "strong_standard"]
REPORT_CARD_AREAS = [
    "inclusion", "curriculum_and_teaching", "achievement", "attendance_and_behaviour",
    "personal_development_and_wellbeing", "leadership_and_governance",
]

OFSTED_RULES = {
    "Good or better": (
        "Graded inspections: overall effectiveness good or outstanding. Report cards: every "
        "evaluation area at expected standard or above, and safeguarding met.",
        [("graded", "overall_effectiveness", ["outstanding", "good"])]
        + [("report_card", area, GOOD_OR_BETTER_REPORT_CARD) for area in REPORT_CARD_AREAS]
        + [("report_card", "safeguarding", ["met"])],
    ),
    "Outstanding": (
        "Graded inspections: overall effectiveness outstanding. Report cards: every evaluation "
        "area at strong standard or exceptional, and safeguarding met.",
        [("graded", "overall_effectiveness", ["outstanding"])]
        + [("report_card", area, STRONG_OR_BETTER_REPORT_CARD) for area in REPORT_CARD_AREAS]
        + [("report_card", "safeguarding", ["met"])],
    ),
}

SPECIALISMS = [
    "Art and design", "Assessment", "Behaviour and attendance", "Business management",
    "Closing the gap", "Computing", "Curriculum design", "Design and technology",
    "Early years", "English", "Geography", "Governance", "History", "Initial teacher training",
    "Leadership of continuing professional development", "Maths", "Modern foreign languages",
    "Music", "Phonics", "Physical education", "Pupil premium", "Religious education", "Science",
    "Special educational needs and disabilities (SEND)", "Support for a new headteacher",
]

# (kind, label, extra settings)
TYPES = [
    {
        "code": "SLE", "name": "Specialist leader of education",
        "description": "A middle or senior leader with a specialism who supports leaders in other schools.",
        "holder_kind": "person", "designating_body": "teaching_school",
        "brokering_rule": "teaching_school_pool", "term_months": 48, "review_interval_months": 12,
        "training": ["Mandatory core training day"],
        "criteria": [
            ("holds_role", "You are a middle or senior leader",
             {"roles": ["deputy_headteacher", "assistant_headteacher", "middle_leader"]}),
            ("years_in_leadership", "At least 2 years in a leadership role", {"min_years": 2}),
            ("evidence", "A successful track record within your school or across schools",
             {"guidance": "Describe the improvements you led and their impact."}),
            ("evidence", "Coaching or facilitation that brought sustainable improvement",
             {"guidance": "Describe one example of coaching another leader and what changed."}),
            ("referee", "Your referee supports your application", {}),
        ],
    },
    {
        "code": "LLE", "name": "Local leader of education",
        "description": "A serving headteacher who coaches and mentors the head of a school in challenging circumstances.",
        "holder_kind": "person", "designating_body": "national_body",
        "brokering_rule": "local_brokers", "term_months": 48, "review_interval_months": 12,
        "training": ["Half-day induction", "Two consecutive training days"],
        "criteria": [
            ("holds_role", "You are a serving headteacher",
             {"roles": ["headteacher", "executive_headteacher"]}),
            ("years_in_headship", "At least 3 years as a serving headteacher", {"min_years": 3}),
            ("school_ofsted", "Your school is judged good or better by Ofsted",
             {"ofsted_rule": "Good or better"}),
            ("school_open", "Your school is open", {}),
            ("evidence", "Coaching or mentoring experience with a head or senior leader outside your school",
             {"guidance": "Say whom you supported, for how long and with what result."}),
            ("declaration", "You expect to stay at your school for at least 2 more years", {}),
            ("declaration", "Your governing body and local authority support your application", {}),
            ("referee", "Your local authority referee supports your application", {}),
        ],
    },
    {
        "code": "NLE", "name": "National leader of education",
        "description": "An outstanding headteacher who, with their staff, supports schools in challenging circumstances. Their school becomes a national support school.",
        "holder_kind": "person", "designating_body": "national_body",
        "brokering_rule": "local_brokers", "term_months": 48, "review_interval_months": 12,
        "makes_national_support_school": True,
        "training": ["NLE induction training"],
        "criteria": [
            ("holds_role", "You are a serving headteacher",
             {"roles": ["headteacher", "executive_headteacher"]}),
            ("years_in_headship", "At least 3 years as a serving headteacher", {"min_years": 3}),
            ("school_ofsted", "Your school is judged outstanding by Ofsted",
             {"ofsted_rule": "Outstanding"}),
            ("school_open", "Your school is open", {}),
            ("evidence", "Consistently high pupil performance or continued improvement over 3 years",
             {"guidance": "Give the headline results for the last 3 years."}),
            ("evidence", "Outstanding senior and middle leaders with capacity to support other schools", {}),
            ("declaration", "You expect to stay at your school for at least 2 more years", {}),
            ("declaration", "Your governing body and director of children's services support your application", {}),
            ("referee", "Your referee supports your application", {}),
        ],
    },
    {
        "code": "NLG", "name": "National leader of governance",
        "description": "An experienced chair of governors who supports the chairs of other schools.",
        "holder_kind": "person", "designating_body": "national_body",
        "brokering_rule": "associates", "term_months": 24, "review_interval_months": 12,
        "training": ["24-hour induction"],
        "criteria": [
            ("holds_role", "You are a chair of governors", {"roles": ["chair_of_governors"]}),
            ("years_as_chair_in_last_5", "At least 3 years as chair of governors within the last 5",
             {"min_years": 3}),
            ("evidence", "You have contributed to raising standards", {}),
            ("referee", "Your referee supports your application", {}),
        ],
    },
    {
        "code": "TS", "name": "Teaching school",
        "description": "An outstanding school that leads an alliance, recruits and designates SLEs and brokers their deployments.",
        "holder_kind": "school", "designating_body": "national_body",
        "brokering_rule": "not_brokered", "term_months": 48, "review_interval_months": 12,
        "training": [],
        "criteria": [
            ("school_ofsted", "The school is judged outstanding by Ofsted", {"ofsted_rule": "Outstanding"}),
            ("school_open", "The school is open", {}),
            ("evidence", "A track record of working successfully with other schools", {}),
        ],
    },
]


def seed(apps, schema_editor):
    OfstedRule = apps.get_model("designations", "OfstedRule")
    OfstedRuleClause = apps.get_model("designations", "OfstedRuleClause")
    Specialism = apps.get_model("designations", "Specialism")
    DesignationType = apps.get_model("designations", "DesignationType")
    TrainingRequirement = apps.get_model("designations", "TrainingRequirement")
    Criterion = apps.get_model("designations", "Criterion")

    rules = {}
    for name, (description, clauses) in OFSTED_RULES.items():
        rules[name], _ = OfstedRule.objects.get_or_create(name=name, defaults={"description": description})
        for framework, area, grades in clauses:
            OfstedRuleClause.objects.get_or_create(
                rule=rules[name], framework=framework, area=area, defaults={"acceptable_grades": grades}
            )
    for name in SPECIALISMS:
        slug = "".join(c if c.isalnum() else "-" for c in name.lower()).strip("-")
        while "--" in slug:
            slug = slug.replace("--", "-")
        Specialism.objects.get_or_create(name=name, defaults={"slug": slug})
    for spec in TYPES:
        spec = dict(spec)
        training, criteria = spec.pop("training"), spec.pop("criteria")
        designation_type, created = DesignationType.objects.get_or_create(code=spec["code"], defaults=spec)
        if not created:
            continue
        for order, name in enumerate(training):
            TrainingRequirement.objects.create(designation_type=designation_type, name=name, order=order)
        for order, (kind, label, settings) in enumerate(criteria):
            Criterion.objects.create(
                designation_type=designation_type, order=order, kind=kind, label=label,
                min_years=settings.get("min_years"), roles=settings.get("roles", []),
                ofsted_rule=rules.get(settings.get("ofsted_rule")), guidance=settings.get("guidance", ""),
            )


class Migration(migrations.Migration):
    dependencies = [("designations", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
