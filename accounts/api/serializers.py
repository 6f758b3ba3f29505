"""Organisations as partner systems see them: who they are and where, never who works there."""

from __future__ import annotations

from rest_framework import serializers

from schools.api.serializers import LocalAuthoritySerializer

from ..models import Organisation


class OrganisationSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="accounts-api:organisation-detail", read_only=True)
    local_authority = LocalAuthoritySerializer(read_only=True, allow_null=True)
    school_urn = serializers.IntegerField(
        source="school.urn", read_only=True, allow_null=True,
        help_text="For a school or teaching school: its URN.",
    )
    trust_code = serializers.CharField(
        source="trust.code", read_only=True, allow_null=True, help_text="For an academy trust: its UID."
    )
    diocese_code = serializers.CharField(
        source="diocese.code", read_only=True, allow_null=True, help_text="For a diocese: its code."
    )

    class Meta:
        model = Organisation
        fields = ["url", "id", "name", "kind", "local_authority", "school_urn", "trust_code", "diocese_code"]
        read_only_fields = fields
