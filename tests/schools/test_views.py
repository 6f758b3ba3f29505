"""The schools pages: who may see what, filters, pagination, and the cost of each page."""

import datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from schools.choices import Framework, Grade, ImportKind, ImportStatus, JudgementArea, Phase
from schools.models import EstablishmentLink, ImportRun
from tests.factories import (
    InspectionFactory,
    JudgementFactory,
    SchoolFactory,
    TrustFactory,
    UserFactory,
    graded_inspection,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
LIST_URL = reverse("schools:school-list")
IMPORTS_URL = reverse("schools:import-list")
UPLOAD_URL = reverse("schools:import-create")

SIGNED_IN_PERSONAS = [
    "national_admin", "la_officer", "other_la_officer", "teaching_school_lead", "school_leader",
    "commissioner", "associate", "outsider",
]


def detail_url(school) -> str:
    return reverse("schools:school-detail", kwargs={"urn": school.urn})


def signed_in(client, user):
    client.force_login(user)
    return client


def listed_urns(response) -> set[int]:
    return {school.urn for school in response.context["schools"]}


# Permissions -------------------------------------------------------------------------------------


@pytest.mark.parametrize("url_name", ["schools:school-list", "schools:import-list", "schools:import-create"])
def test_anonymous_visitor_is_sent_to_sign_in(client, db, url_name):
    response = client.get(reverse(url_name))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:sign-in"))


def test_anonymous_visitor_is_sent_to_sign_in_from_a_school_page(client, home_school):
    response = client.get(detail_url(home_school))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:sign-in"))


@pytest.mark.parametrize(
    ("persona", "sees_home", "sees_other"),
    [
        ("national_admin", True, True),
        ("la_officer", True, False),
        ("other_la_officer", False, True),
        ("teaching_school_lead", True, False),
        ("school_leader", True, False),
        ("commissioner", True, False),
        ("associate", True, True),
        ("outsider", False, False),
    ],
)
def test_school_pages_show_only_schools_in_the_personas_scope(
    request, client, home_school, other_school, persona, sees_home, sees_other
):
    user = request.getfixturevalue(persona)
    signed_in(client, user)

    listed = listed_urns(client.get(LIST_URL))

    assert (home_school.urn in listed) is sees_home
    assert (other_school.urn in listed) is sees_other
    assert client.get(detail_url(home_school)).status_code == (200 if sees_home else 404)
    assert client.get(detail_url(other_school)).status_code == (200 if sees_other else 404)


@pytest.mark.parametrize("persona", SIGNED_IN_PERSONAS)
def test_only_national_administrators_may_open_the_import_pages(request, client, persona):
    user = request.getfixturevalue(persona)
    run = ImportRun.objects.create(kind=ImportKind.GIAS, status=ImportStatus.SUCCEEDED)
    signed_in(client, user)
    expected = 200 if persona == "national_admin" else 403

    for url in (
        IMPORTS_URL, UPLOAD_URL, reverse("schools:import-detail", kwargs={"pk": run.pk}),
        reverse("schools:import-progress", kwargs={"pk": run.pk}),
    ):
        assert client.get(url).status_code == expected, url


def test_refused_import_page_is_the_styled_403_page(client, la_officer):
    response = signed_in(client, la_officer).get(IMPORTS_URL)

    assert response.status_code == 403
    assert "You do not have permission to view this page" in response.content.decode()


def test_la_officer_gets_the_styled_404_page_for_another_authoritys_school(client, la_officer, other_school):
    response = signed_in(client, la_officer).get(detail_url(other_school))

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_navigation_offers_imports_only_to_national_administrators(client, national_admin, la_officer):
    admin_page = signed_in(client, national_admin).get(LIST_URL).content.decode()
    officer_page = signed_in(client, la_officer).get(LIST_URL).content.decode()

    assert IMPORTS_URL in admin_page
    assert IMPORTS_URL not in officer_page
    # Swagger UI is a developer tool, linked only from the API guidance (linked from every footer).
    assert reverse("api-docs") not in admin_page
    assert reverse("apiguide:index") in officer_page
    assert reverse("accounts:sign-out") in officer_page


# The school list ------------------------------------------------------------------------------------


def test_list_filters_by_phase(client, la_officer, home_la):
    primary = SchoolFactory(local_authority=home_la, phase=Phase.PRIMARY)
    secondary = SchoolFactory(local_authority=home_la, phase=Phase.SECONDARY)

    response = signed_in(client, la_officer).get(LIST_URL, {"phase": Phase.SECONDARY})

    assert listed_urns(response) == {secondary.urn}
    assert primary.urn not in listed_urns(response)


def test_list_searches_by_name_and_urn(client, la_officer, home_la):
    wanted = SchoolFactory(local_authority=home_la, name="Cromer Academy")
    SchoolFactory(local_authority=home_la, name="Diss High School")
    signed_in(client, la_officer)

    assert listed_urns(client.get(LIST_URL, {"q": "cromer"})) == {wanted.urn}
    assert listed_urns(client.get(LIST_URL, {"q": str(wanted.urn)})) == {wanted.urn}


def test_list_filters_by_ofsted_grade(client, la_officer, home_la):
    good = SchoolFactory(local_authority=home_la)
    graded_inspection(good, Grade.GOOD)
    inadequate = SchoolFactory(local_authority=home_la)
    graded_inspection(inadequate, Grade.INADEQUATE)

    response = signed_in(client, la_officer).get(LIST_URL, {"ofsted_grade": Grade.INADEQUATE})

    assert listed_urns(response) == {inadequate.urn}


def test_list_shows_grade_trust_and_status(client, la_officer, home_la):
    school = SchoolFactory(local_authority=home_la, trust=TrustFactory(name="Broadland Learning Trust"))
    graded_inspection(school, Grade.OUTSTANDING, on=datetime.date(2022, 3, 4))

    page = signed_in(client, la_officer).get(LIST_URL).content.decode()

    assert "Outstanding" in page
    assert "4 Mar 2022" in page
    assert "Broadland Learning Trust" in page
    assert 'class="govuk-tag govuk-tag--green">Open' in page


def test_unknown_filter_value_is_reported_not_a_server_error(client, la_officer, home_school):
    response = signed_in(client, la_officer).get(LIST_URL, {"phase": "university"})

    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()


def test_local_authority_filter_is_offered_only_to_people_who_see_several(
    client, national_admin, la_officer, home_school, other_school
):
    assert "local_authority" in signed_in(client, national_admin).get(LIST_URL).context["form"].fields
    assert "local_authority" not in signed_in(client, la_officer).get(LIST_URL).context["form"].fields


def test_national_admin_filters_by_local_authority(client, national_admin, home_school, other_school):
    response = signed_in(client, national_admin).get(LIST_URL, {"local_authority": "935"})

    assert listed_urns(response) == {other_school.urn}


def test_pagination_keeps_the_filters_in_its_links(client, la_officer, home_la):
    SchoolFactory.create_batch(30, local_authority=home_la, phase=Phase.SECONDARY)

    response = signed_in(client, la_officer).get(LIST_URL, {"phase": Phase.SECONDARY})

    assert len(response.context["schools"]) == 25
    assert response.context["pagination"]["next_url"] == "?phase=secondary&page=2"
    second = client.get(LIST_URL + response.context["pagination"]["next_url"])
    assert len(second.context["schools"]) == 5


def test_a_page_number_out_of_range_shows_the_last_page(client, la_officer, home_school):
    response = signed_in(client, la_officer).get(LIST_URL, {"page": "99"})

    assert response.status_code == 200
    assert listed_urns(response) == {home_school.urn}


def test_empty_list_explains_why(client, outsider):
    page = signed_in(client, outsider).get(LIST_URL).content.decode()

    assert "There are no schools to show" in page


def test_no_match_suggests_clearing_filters(client, la_officer, home_school):
    page = signed_in(client, la_officer).get(LIST_URL, {"q": "no such school"}).content.decode()

    assert "No schools match your filters" in page


def _list_query_count(client, home_la, how_many) -> int:
    for school in SchoolFactory.create_batch(how_many, local_authority=home_la, trust=TrustFactory()):
        graded_inspection(school, Grade.GOOD)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST_URL, {"phase": Phase.PRIMARY})
    assert response.status_code == 200
    return len(queries)


def test_list_page_costs_the_same_queries_for_10_and_200_schools(client, la_officer, home_la):
    signed_in(client, la_officer)
    small = _list_query_count(client, home_la, 10)
    large = _list_query_count(client, home_la, 190)

    assert small == large


# The school page ------------------------------------------------------------------------------------


def test_school_page_shows_the_facts_from_the_extract(client, la_officer, home_la):
    school = SchoolFactory(
        local_authority=home_la, name="Aylsham High School", ukprn="10012345", head_title="Mrs",
        head_first_name="Ada", head_last_name="Lovelace", head_job_title="Executive headteacher",
        street="Sir William's Lane", postcode="NR11 6AN", easting=619300, northing=327100,
        number_of_pupils=1234, school_capacity=1400, percentage_fsm="18.40",
        statutory_low_age=11, statutory_high_age=18, website="www.aylshamhigh.example",
    )

    page = signed_in(client, la_officer).get(detail_url(school)).content.decode()

    for fact in (
        "Aylsham High School", "10012345", "Mrs Ada Lovelace", "Executive headteacher",
        "Sir William&#x27;s Lane", "NR11 6AN", "619300, 327100", "1,234", "1,400", "18.4%",
        "11 to 18", "https://www.aylshamhigh.example", "Norfolk",
    ):
        assert fact in page, fact


def test_school_page_says_when_a_fact_is_not_recorded(client, la_officer, home_la):
    school = SchoolFactory(local_authority=home_la, school_capacity=None, telephone="")

    page = signed_in(client, la_officer).get(detail_url(school)).content.decode()

    assert "Not recorded" in page
    assert ">None<" not in page


def test_school_page_lists_every_inspection_newest_first_with_each_judgement(client, la_officer, home_school):
    older = graded_inspection(home_school, Grade.REQUIRES_IMPROVEMENT, on=datetime.date(2019, 6, 1))
    JudgementFactory(inspection=older, area=JudgementArea.SAFEGUARDING, grade=Grade.MET)
    report_card = InspectionFactory(
        school=home_school, framework=Framework.REPORT_CARD, start_date=datetime.date(2026, 1, 20)
    )
    JudgementFactory(inspection=report_card, area=JudgementArea.INCLUSION, grade=Grade.STRONG_STANDARD)

    response = signed_in(client, la_officer).get(detail_url(home_school))
    page = response.content.decode()

    assert [i.start_date for i in response.context["inspections"]] == [
        datetime.date(2026, 1, 20), datetime.date(2019, 6, 1)
    ]
    assert "Requires improvement" in page
    assert "Safeguarding" in page
    assert "Strong standard" in page
    assert "there is no overall effectiveness grade" in page


def test_school_page_links_visible_predecessors_only(client, la_officer, home_la, other_la):
    school = SchoolFactory(local_authority=home_la)
    visible = SchoolFactory(local_authority=home_la, name="Old Visible School")
    hidden = SchoolFactory(local_authority=other_la, name="Old Hidden School")
    for predecessor in (visible, hidden):
        EstablishmentLink.objects.create(
            urn=school.urn, linked_urn=predecessor.urn, linked_name=predecessor.name,
            link_type="Predecessor", established_date=datetime.date(2015, 9, 1),
        )

    page = signed_in(client, la_officer).get(detail_url(school)).content.decode()

    assert detail_url(visible) in page
    assert "Old Hidden School" in page
    assert detail_url(hidden) not in page


def test_change_history_is_shown_to_national_administrators_only(
    client, national_admin, la_officer, home_school
):
    home_school.name = "Renamed Primary School"
    home_school.save()

    admin_page = signed_in(client, national_admin).get(detail_url(home_school)).content.decode()
    officer_page = signed_in(client, la_officer).get(detail_url(home_school)).content.decode()

    assert "Change history" in admin_page
    assert "Name: Home Primary School to Renamed Primary School" in admin_page
    assert "Change history" not in officer_page


def _detail_query_count(client, school, inspections) -> int:
    for number in range(inspections):
        start = datetime.date(2000, 1, 1) + datetime.timedelta(days=number)
        inspection = InspectionFactory(school=school, start_date=start)
        JudgementFactory(inspection=inspection, area=JudgementArea.OVERALL_EFFECTIVENESS, grade=Grade.GOOD)
        JudgementFactory(inspection=inspection, area=JudgementArea.SAFEGUARDING, grade=Grade.MET)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(detail_url(school)).status_code == 200
    return len(queries)


def test_school_page_costs_the_same_queries_for_1_and_30_inspections(client, national_admin, home_la):
    signed_in(client, national_admin)

    few = _detail_query_count(client, SchoolFactory(local_authority=home_la), 1)
    many = _detail_query_count(client, SchoolFactory(local_authority=home_la), 30)

    assert few == many


# Imports -----------------------------------------------------------------------------------------------


def csv_upload(name="edubasealldata.csv", content=b"URN,EstablishmentName\n100000,A school\n"):
    return SimpleUploadedFile(name, content, content_type="text/csv")


def test_upload_starts_an_import_and_shows_its_page(client, national_admin, monkeypatch):
    calls = []

    def fake_start_import(*, kind, uploaded_file, user):
        calls.append((kind, uploaded_file.name, user))
        return ImportRun.objects.create(kind=kind, original_filename=uploaded_file.name, started_by=user)

    monkeypatch.setattr("schools.services.start_import", fake_start_import)

    response = signed_in(client, national_admin).post(
        UPLOAD_URL, {"kind": ImportKind.GIAS, "file": csv_upload()}, follow=True
    )

    assert calls == [(ImportKind.GIAS, "edubasealldata.csv", national_admin)]
    run = ImportRun.objects.get()
    assert response.redirect_chain[-1][0] == reverse("schools:import-detail", kwargs={"pk": run.pk})
    assert "edubasealldata.csv has been uploaded" in response.content.decode()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"file": "csv"}, "kind", "Select the kind of file"),
        ({"kind": ImportKind.GIAS}, "file", "Select a CSV file"),
        ({"kind": ImportKind.GIAS, "file": "xlsx"}, "file", "The selected file must be a CSV"),
        ({"kind": "spreadsheet", "file": "csv"}, "kind", "Select a valid choice"),
    ],
)
def test_upload_form_explains_what_is_wrong(client, national_admin, data, field, message):
    files = {"csv": csv_upload(), "xlsx": csv_upload(name="edubase.xlsx")}
    if "file" in data:
        data = {**data, "file": files[data["file"]]}

    response = signed_in(client, national_admin).post(UPLOAD_URL, data)

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert "govuk-error-summary" in response.content.decode()
    assert not ImportRun.objects.exists()


def test_upload_refuses_a_file_over_the_size_limit(client, national_admin, settings):
    settings.IMPORT_UPLOAD_MAX_BYTES = 10

    response = signed_in(client, national_admin).post(
        UPLOAD_URL, {"kind": ImportKind.GIAS, "file": csv_upload()}
    )

    assert "The selected file must be smaller than 10\xa0bytes" in response.context["form"].errors["file"]


def test_uploaded_gias_extract_is_imported_and_reported(
    client, national_admin, django_capture_on_commit_callbacks, eager_celery
):
    content = (FIXTURES / "gias" / "edubase_sample_2018_header.csv").read_bytes()
    signed_in(client, national_admin)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(UPLOAD_URL, {"kind": ImportKind.GIAS, "file": csv_upload(content=content)})

    run = ImportRun.objects.get()
    assert response.url == reverse("schools:import-detail", kwargs={"pk": run.pk})
    assert run.status == ImportStatus.SUCCEEDED
    assert run.created > 0
    page = client.get(response.url).content.decode()
    assert "Report" in page
    assert client.get(LIST_URL).context["paginator"].count == run.created


def test_finished_import_page_shows_the_report(client, national_admin):
    run = ImportRun.objects.create(
        kind=ImportKind.OFSTED, status=ImportStatus.SUCCEEDED, rows_read=5, created=2, updated=1,
        unchanged=1, rejected=1,
        errors=[{"row": 4, "reason": "Inspection start date '31/02/2024' is not a date"}],
    )

    page = signed_in(client, national_admin).get(reverse("schools:import-detail", kwargs={"pk": run.pk}))
    content = page.content.decode()

    assert "Rejected rows" in content
    assert "Inspection start date &#x27;31/02/2024&#x27; is not a date" in content
    assert "import-progress.js" not in content


def test_refused_import_page_shows_the_reason(client, national_admin):
    run = ImportRun.objects.create(
        kind=ImportKind.GIAS, status=ImportStatus.FAILED, message="The file has no URN column."
    )

    content = signed_in(client, national_admin).get(
        reverse("schools:import-detail", kwargs={"pk": run.pk})
    ).content.decode()

    assert "The file was refused" in content
    assert "The file has no URN column." in content


def test_running_import_reports_its_progress_as_json(client, national_admin, monkeypatch):
    run = ImportRun.objects.create(kind=ImportKind.GIAS, status=ImportStatus.RUNNING)
    monkeypatch.setattr("schools.services.import_progress", lambda r: 1500)
    signed_in(client, national_admin)

    page = client.get(reverse("schools:import-detail", kwargs={"pk": run.pk})).content.decode()
    progress = client.get(reverse("schools:import-progress", kwargs={"pk": run.pk})).json()

    assert "1,500" in page
    assert "import-progress.js" in page
    assert progress == {
        "status": "running", "status_label": "Running", "is_finished": False, "is_interrupted": False,
        "rows_read": 1500,
    }


def test_import_list_shows_runs_newest_first(client, national_admin):
    older = ImportRun.objects.create(kind=ImportKind.GIAS, original_filename="old.csv")
    newer = ImportRun.objects.create(kind=ImportKind.OFSTED, original_filename="new.csv")

    response = signed_in(client, national_admin).get(IMPORTS_URL)

    assert [run.pk for run in response.context["runs"]] == [newer.pk, older.pk]


# Django admin ----------------------------------------------------------------------------------------


@pytest.fixture
def staff_superuser(db):
    return UserFactory(email="staff@example.org", is_staff=True, is_superuser=True)


@pytest.mark.parametrize(
    "model",
    ["localauthority", "trust", "diocese", "outwardcode", "school", "establishmentlink", "inspection",
     "judgement", "importrun"],
)
def test_admin_lists_every_schools_model_with_search(client, staff_superuser, home_school, model):
    graded_inspection(home_school, Grade.GOOD)

    url = reverse(f"admin:schools_{model}_changelist")
    response = signed_in(client, staff_superuser).get(url, {"q": "Home"})

    assert response.status_code == 200


def test_admin_school_pages_show_history_and_inspection_judgements(client, staff_superuser, home_school):
    inspection = graded_inspection(home_school, Grade.GOOD)
    signed_in(client, staff_superuser)

    assert client.get(reverse("admin:schools_school_history", args=[home_school.pk])).status_code == 200
    inspection_page = client.get(reverse("admin:schools_inspection_change", args=[inspection.pk]))
    assert "judgements-TOTAL_FORMS" in inspection_page.content.decode()


def test_admin_cannot_add_or_edit_import_runs(client, staff_superuser):
    run = ImportRun.objects.create(kind=ImportKind.GIAS)
    signed_in(client, staff_superuser)

    assert client.get(reverse("admin:schools_importrun_add")).status_code == 403
    change_page = client.post(reverse("admin:schools_importrun_change", args=[run.pk]), {"status": "failed"})
    run.refresh_from_db()
    assert run.status == ImportStatus.PENDING
    assert change_page.status_code in {200, 403}


def test_navigation_offers_the_admin_to_staff_only(client, staff_superuser, la_officer):
    # Django admin is a page of the navigation's Admin section, listed on that section's pages.
    assert reverse("admin:index") in signed_in(client, staff_superuser).get(IMPORTS_URL).content.decode()
    assert reverse("admin:index") not in signed_in(client, la_officer).get(LIST_URL).content.decode()
