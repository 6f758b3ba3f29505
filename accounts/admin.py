"""Admin for people, organisations, memberships, invitations, access requests and API tokens."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db.models import QuerySet
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import AccessRequest, ApiToken, Invitation, Membership, Organisation, User


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name")


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class UserMembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "user"
    extra = 0
    autocomplete_fields = ["organisation"]
    verbose_name = "role in an organisation"
    verbose_name_plural = "roles in organisations"


class OrganisationMembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "organisation"
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, DjangoUserAdmin):
    form = UserEditForm
    add_form = UserCreationForm
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Personal details", {"fields": ("full_name", "phone", "email_opt_outs")}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Important dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {
            "classes": ("wide",),
            "fields": ("email", "full_name", "usable_password", "password1", "password2"),
        }),
    )
    inlines = [UserMembershipInline]
    list_display = ("email", "full_name", "is_active", "is_staff", "last_login")
    list_filter = ("is_staff", "is_active", "is_superuser", "memberships__role")
    search_fields = ("email", "full_name")
    ordering = ("email",)
    readonly_fields = ("last_login", "date_joined")


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "local_authority", "is_active", "created_at")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "email", "local_authority__name", "local_authority__code")
    list_select_related = ("local_authority",)
    # Tens of thousands of schools and trusts: pick them by id, not from a drop-down.
    raw_id_fields = ["school", "trust"]
    inlines = [OrganisationMembershipInline]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ("user", "organisation", "role", "created_at")
    list_filter = ("role", "organisation__kind")
    search_fields = ("user__email", "user__full_name", "organisation__name")
    list_select_related = ("user", "organisation")
    autocomplete_fields = ["user", "organisation"]


@admin.register(ApiToken)
class ApiTokenAdmin(SimpleHistoryAdmin):
    """Tokens are issued here (the key is shown once) and revoked, never edited."""

    list_display = ("name", "prefix", "organisation", "created_at", "last_used_at", "revoked_at")
    list_filter = (("revoked_at", admin.EmptyFieldListFilter), "organisation__kind")
    search_fields = ("name", "prefix", "organisation__name")
    list_select_related = ("organisation",)
    autocomplete_fields = ["organisation"]
    actions = ["revoke_tokens"]

    def get_fields(self, request: HttpRequest, obj: ApiToken | None = None) -> list[str]:
        if obj is None:
            return ["organisation", "name"]
        return ["name", "organisation", "prefix", "created_by", "created_at", "last_used_at", "revoked_at"]

    def get_readonly_fields(self, request: HttpRequest, obj: ApiToken | None = None) -> list[str]:
        if obj is None:
            return []
        return ["organisation", "prefix", "created_by", "created_at", "last_used_at", "revoked_at"]

    def save_model(self, request: HttpRequest, obj: ApiToken, form, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        issued, key = services.issue_api_token(
            organisation=obj.organisation, name=obj.name, actor=request.user
        )
        # The admin carries on with the instance it built (for its log and redirect), so give it
        # the saved token's state rather than issuing keys in a second place.
        for field in ApiToken._meta.concrete_fields:
            setattr(obj, field.attname, getattr(issued, field.attname))
        obj._state.adding = False
        obj._state.db = issued._state.db
        messages.warning(
            request,
            f"The key for “{issued.name}” is {key} — copy it now: it is not stored and will not "
            "be shown again.",
        )

    @admin.action(description="Revoke selected tokens", permissions=["change"])
    def revoke_tokens(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        tokens = queryset.filter(revoked_at__isnull=True).select_related("organisation")
        revoked = sum(services.revoke_api_token(token, actor=request.user) for token in tokens)
        self.message_user(request, f"Revoked {revoked} token(s).", messages.SUCCESS)


@admin.register(Invitation)
class InvitationAdmin(SimpleHistoryAdmin):
    """Invitations are made, resent and cancelled on the people pages; here they are looked at."""

    list_display = ("email", "organisation", "role", "sent_at", "expires_at", "accepted_at", "cancelled_at")
    list_filter = ("role", "organisation__kind", ("accepted_at", admin.EmptyFieldListFilter))
    search_fields = ("email", "organisation__name")
    list_select_related = ("organisation",)
    autocomplete_fields = ["organisation", "invited_by", "accepted_by", "cancelled_by"]
    readonly_fields = ("created_at", "sent_at", "accepted_at", "accepted_by", "cancelled_at", "cancelled_by")


@admin.register(AccessRequest)
class AccessRequestAdmin(SimpleHistoryAdmin):
    list_display = ("full_name", "email", "organisation_kind", "role", "state", "created_at", "decided_at")
    list_filter = ("state", "organisation_kind", "role")
    search_fields = ("full_name", "email")
    raw_id_fields = ["school", "trust"]
    autocomplete_fields = ["organisation", "decided_by", "invitation"]
    filter_horizontal = ["routed_to"]
    readonly_fields = ("created_at", "confirmed_at", "decided_at", "decided_by")
