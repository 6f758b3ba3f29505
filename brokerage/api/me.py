"""``/api/v1/me/``: who the caller is and what the brokering rules let it do, so that a partner
system can find out before it tries (which schools it commissions for, which types it brokers)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from accounts.choices import OrganisationKind
from accounts.principals import is_api_client
from apiformat.responses import error_responses
from designations.models import DesignationType

from ..rules import (
    COMMISSIONING_KINDS,
    broker_organisations_of,
    commissioning_organisations_of,
    may_broker_type,
)

Kind = OrganisationKind

COMMISSION_SCOPES = {
    Kind.NATIONAL_BODY: "every_school",
    Kind.LOCAL_AUTHORITY: "local_authority",
    Kind.ACADEMY_TRUST: "trust",
    Kind.DIOCESE: "diocese",
    Kind.SCHOOL: "school",
    Kind.TEACHING_SCHOOL: "school_and_alliance",
}
SCOPE_HELP = (
    "Which schools it may commission support for: every_school, local_authority (its own), trust, "
    "diocese, school (itself), school_and_alliance (itself and its alliance partners), or none. A "
    "token's /schools/ list holds exactly these (and, for an agency, every school to read)."
)


class MeTokenSerializer(serializers.Serializer):
    name = serializers.CharField(read_only=True)
    prefix = serializers.CharField(read_only=True, help_text="The first 8 characters of the key.")
    created_at = serializers.DateTimeField(read_only=True)
    expires_at = serializers.DateTimeField(read_only=True, allow_null=True)


class MeOrganisationSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    kind = serializers.CharField(read_only=True, help_text="One of: " + ", ".join(Kind.values) + ".")
    url = serializers.CharField(read_only=True)
    may_commission = serializers.BooleanField(read_only=True)
    commissions_for = serializers.CharField(read_only=True, help_text=SCOPE_HELP)
    may_broker = serializers.BooleanField(read_only=True)
    brokers_types = serializers.ListField(
        child=serializers.CharField(), read_only=True,
        help_text="Codes of the designation types whose deployments it may broker, e.g. LLE.",
    )


class MeSerializer(serializers.Serializer):
    # A plain string: an enum here would clash with the organisations' "kind" in the schema.
    kind = serializers.CharField(
        read_only=True, help_text="token (an organisation's token) or person (a signed-in person).",
    )
    token = MeTokenSerializer(read_only=True, allow_null=True, help_text="Only for a token.")
    organisations = MeOrganisationSerializer(
        many=True, read_only=True, help_text="A token's is its one."
    )
    schools = serializers.CharField(read_only=True, help_text="The list of the schools the caller sees.")


def describe_organisation(organisation, *, commissions: bool, brokers: bool, types, request) -> dict:
    brokered = [t.code for t in types if brokers and may_broker_type(organisation, t)]
    return {
        "id": organisation.pk,
        "name": organisation.name,
        "kind": organisation.kind,
        "url": reverse("accounts-api:organisation-detail", args=[organisation.pk], request=request),
        "may_commission": commissions,
        "commissions_for": COMMISSION_SCOPES.get(organisation.kind, "none") if commissions else "none",
        "may_broker": bool(brokered),
        "brokers_types": brokered,
    }


class MeView(APIView):
    @extend_schema(
        tags=["me"],
        summary="The caller: its organisation and what it may do",
        description=(
            "For a token, its organisation (kind, id), whether it may raise support requests and for "
            "which schools, and the designation types whose deployments it may broker. For a "
            "signed-in person, the same for each organisation they act for in their roles."
        ),
        responses={200: MeSerializer, **error_responses(401, 403, 429)},
    )
    def get(self, request: Request) -> Response:
        user = request.user
        types = list(DesignationType.objects.filter(is_active=True).order_by("code"))
        if is_api_client(user):
            organisation = user.organisation
            organisations = [describe_organisation(
                organisation, commissions=organisation.kind in COMMISSIONING_KINDS, brokers=True,
                types=types, request=request,
            )]
            token = MeTokenSerializer(user.token).data
        else:
            commissioning = commissioning_organisations_of(user)
            brokering = broker_organisations_of(user)
            organisations = [
                describe_organisation(
                    organisation, commissions=organisation in commissioning,
                    brokers=organisation in brokering, types=types, request=request,
                )
                for organisation in dict.fromkeys(user.scope_organisations)
            ]
            token = None
        return Response(MeSerializer({
            "kind": "token" if token else "person",
            "token": token,
            "organisations": organisations,
            "schools": reverse("schools-api:school-list", request=request),
        }).data)
