"""Page titles: "Error: " first whenever the page shows a form's errors, whatever the view called the
form; "(page 2 of 5)" on lists of several pages; one title per kind of page."""

from __future__ import annotations

import re

import pytest
from django import forms
from django.template import Context, Template
from django.urls import reverse

from govuk.templatetags.govuk_titles import page_has_errors


class NameForm(forms.Form):
    name = forms.CharField()


def title_of(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1)


def render_prefix(**context) -> str:
    return Template("{% load govuk_titles %}{% error_prefix %}").render(Context(context))


def test_a_validated_form_with_errors_under_any_name_makes_the_prefix():
    form = NameForm({"name": ""})
    form.is_valid()

    assert render_prefix(details_form=form) == "Error: "


def test_a_form_without_errors_or_unbound_makes_none():
    valid = NameForm({"name": "Ada"})
    valid.is_valid()

    assert render_prefix(form=valid, other=NameForm()) == ""


def test_a_bound_form_not_yet_validated_is_left_unvalidated():
    form = NameForm({"name": ""})

    assert render_prefix(form=form) == ""
    assert form._errors is None


def test_the_forms_of_a_list_of_rows_count():
    form = NameForm({"name": ""})
    form.is_valid()

    assert page_has_errors(Context({"outstanding_forms": [{"requirement": 1, "form": form}]}))


def test_a_formset_with_errors_counts():
    formset = forms.formset_factory(NameForm, min_num=1, validate_min=True)(
        {"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "0", "form-0-name": ""}
    )
    formset.is_valid()

    assert render_prefix(rows=formset) == "Error: "


def test_your_account_sent_empty_titles_itself_error_first(client, la_officer):
    client.force_login(la_officer)

    response = client.post(reverse("accounts:you"), {"form": "details", "full_name": ""})

    assert response.status_code == 400
    assert title_of(response.content.decode()).startswith("Error: Your account – ")


def test_sign_in_sent_empty_titles_itself_error_first_once(client, db):
    html = client.post(reverse("accounts:sign-in"), {"username": "", "password": ""}).content.decode()

    assert title_of(html).startswith("Error: Sign in – ")
    assert title_of(html).count("Error") == 1


def test_a_page_without_errors_has_no_error_in_its_title(client, db):
    assert "Error" not in title_of(client.get(reverse("accounts:sign-in")).content.decode())


@pytest.mark.django_db
def test_the_broker_queue_and_the_request_list_have_titles_of_their_own(client, la_officer):
    client.force_login(la_officer)

    requests = title_of(client.get(reverse("brokerage:request-list")).content.decode())
    queue = title_of(client.get(reverse("brokerage:broker-queue")).content.decode())

    assert requests.startswith("Support requests – ")
    assert queue.startswith("Support requests waiting for you to broker – ")
