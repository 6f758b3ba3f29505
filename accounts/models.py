"""Users, the organisations they belong to, their role in each, and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from functools import cached_property

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from plaintext.fields import NameField, NotesField
from schools.queries import SchoolScope

from .choices import (
    NATIONAL_KINDS,
    ROLES_BY_ORGANISATION_KIND,
    AccessRequestState,
    OrganisationKind,
    Role,
)
from .validators import PHONE_MAX_LENGTH, validate_email_opt_outs, validate_uk_phone


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with their email address."""

    email = models.EmailField("email address", unique=True)
    full_name = NameField(max_length=200)
    phone = models.CharField(
        max_length=PHONE_MAX_LENGTH, blank=True, validators=[validate_uk_phone],
        help_text="A UK phone number, optional.",
    )
    email_opt_outs = models.JSONField(
        default=list, blank=True, validators=[validate_email_opt_outs],
        help_text="Informational email kinds (accounts.choices.EmailKind) the person does not want.",
    )
    is_staff = models.BooleanField(
        default=False, help_text="Can sign in to the Django admin site."
    )
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @cached_property
    def active_memberships(self) -> list[Membership]:
        """The user's memberships with their organisations, read once per request."""
        return list(
            self.memberships.filter(organisation__is_active=True).select_related(
                "organisation", "organisation__local_authority"
            )
        )

    # What this object has read about the person's memberships and permissions: kept for its life,
    # one request, and forgotten when a membership of theirs changes within it.
    CACHED_ANSWERS = (
        "active_memberships", "_rule_answers", "_own_school_ids",
        "_perm_cache", "_user_perm_cache", "_group_perm_cache",
    )

    def forget_cached_answers(self) -> None:
        for name in self.CACHED_ANSWERS:
            self.__dict__.pop(name, None)

    def has_role(self, *roles: str) -> bool:
        return any(m.role in roles for m in self.active_memberships)

    @property
    def is_national_administrator(self) -> bool:
        return self.is_superuser or self.has_role(Role.NATIONAL_ADMINISTRATOR)

    def organisations_with_role(self, *roles: str) -> list[Organisation]:
        return [m.organisation for m in self.active_memberships if m.role in roles]

    @property
    def scope_organisations(self) -> list[Organisation]:
        return [m.organisation for m in self.active_memberships]


class Organisation(models.Model):
    """A body people work for: a local authority, diocese, trust, school, national body..."""

    kind = models.CharField(max_length=32, choices=OrganisationKind.choices)
    name = NameField(max_length=200)
    local_authority = models.ForeignKey(
        "schools.LocalAuthority", null=True, blank=True, on_delete=models.PROTECT,
        related_name="organisations",
        help_text="For a local authority: the authority it is. For others: where it is based.",
    )
    school = models.ForeignKey(
        "schools.School", null=True, blank=True, on_delete=models.PROTECT,
        related_name="organisations", help_text="For a school or teaching school: the school.",
    )
    trust = models.ForeignKey(
        "schools.Trust", null=True, blank=True, on_delete=models.PROTECT,
        related_name="organisations", help_text="For an academy trust: the trust.",
    )
    diocese = models.ForeignKey(
        "schools.Diocese", null=True, blank=True, on_delete=models.PROTECT,
        related_name="organisations", help_text="For a diocese: the diocese.",
    )
    email = models.EmailField(blank=True, help_text="A shared inbox for notifications.")
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "name"], name="unique_organisation_kind_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_national(self) -> bool:
        return self.kind in NATIONAL_KINDS

    @property
    def school_scope(self) -> SchoolScope:
        """The schools this organisation's members see (see ``schools.queries``)."""
        if self.is_national:
            return SchoolScope(every_school=True)
        if self.kind == OrganisationKind.LOCAL_AUTHORITY and self.local_authority_id:
            return SchoolScope(local_authority_id=self.local_authority_id)
        if self.kind == OrganisationKind.ACADEMY_TRUST and self.trust_id:
            return SchoolScope(trust_id=self.trust_id)
        if self.kind == OrganisationKind.DIOCESE and self.diocese_id:
            return SchoolScope(diocese_id=self.diocese_id)
        return SchoolScope(school_id=self.school_id)

    def clean(self) -> None:
        required = {
            OrganisationKind.LOCAL_AUTHORITY: ("local_authority", "a local authority"),
            OrganisationKind.SCHOOL: ("school", "a school"),
            OrganisationKind.TEACHING_SCHOOL: ("school", "a school"),
            OrganisationKind.ACADEMY_TRUST: ("trust", "a trust"),
            OrganisationKind.DIOCESE: ("diocese", "a diocese"),
        }.get(self.kind)
        if required and not getattr(self, f"{required[0]}_id"):
            raise ValidationError(
                {required[0]: f"A {self.get_kind_display().lower()} must be linked to {required[1]}."}
            )


class Membership(models.Model):
    """A user's role in one organisation. A user may hold several."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=32, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation__name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="unique_membership_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} at {self.organisation}"

    def clean(self) -> None:
        if not self.organisation_id:
            return
        allowed = ROLES_BY_ORGANISATION_KIND.get(self.organisation.kind, set())
        if self.role and self.role not in allowed:
            raise ValidationError(
                {"role": f"A {self.get_role_display().lower()} cannot belong to a "
                 f"{self.organisation.get_kind_display().lower()}."}
            )


def hash_token_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


# How far ahead a token's expiry may be set: the form, the service and the API all check this.
API_TOKEN_LONGEST_LIFE = timedelta(days=731)


class ApiTokenQuerySet(models.QuerySet):
    def active(self) -> ApiTokenQuerySet:
        """Not revoked, of an active organisation (possibly expired: authentication says so)."""
        return self.filter(revoked_at__isnull=True, organisation__is_active=True)

    def unexpired(self) -> ApiTokenQuerySet:
        unexpired = models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=timezone.now())
        return self.active().filter(unexpired)


class ApiToken(models.Model):
    """A partner system's credential. It belongs to an organisation, never to a person.

    Only a SHA-256 digest of the key is stored: the key is shown once, when it is created.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="api_tokens")
    name = NameField(max_length=100, help_text="What the token is for, e.g. 'LA MIS sync'.")
    prefix = models.CharField(max_length=8, editable=False)
    key_digest = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(
        null=True, blank=True, help_text="After this the token is refused; never, if empty.",
    )

    objects = ApiTokenQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["last_used_at"])

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…) for {self.organisation}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def has_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def status(self) -> str:
        if self.revoked_at is not None:
            return "revoked"
        return "expired" if self.has_expired else "active"

    def clean(self) -> None:
        super().clean()
        # Checked when a token is issued; an existing token's expiry only ever passes.
        if self._state.adding and self.expires_at is not None:
            now = timezone.now()
            if not now < self.expires_at <= now + API_TOKEN_LONGEST_LIFE:
                raise ValidationError({
                    "expires_at": "The expiry date must be in the future and at most two years ahead."
                })

    @classmethod
    def issue(
        cls, *, organisation: Organisation, name: str, created_by=None, expires_at=None
    ) -> tuple[ApiToken, str]:
        """Create a token and return it with its plain key (which is not stored). Raises
        ValidationError for a blank or long name or an expiry out of range."""
        key = secrets.token_urlsafe(32)
        while key.startswith("-"):
            # A prefix starting with "-" would read as an option to revoke_api_token.
            key = secrets.token_urlsafe(32)
        token = cls(
            organisation=organisation, name=name, created_by=created_by, expires_at=expires_at,
            prefix=key[:8], key_digest=hash_token_key(key),
        )
        token.full_clean()
        if created_by is not None:
            # Its history names the person even where no request is (a command, a task).
            token._history_user = created_by
        token.save()
        return token, key

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])


class InvitationQuerySet(models.QuerySet):
    def pending(self) -> InvitationQuerySet:
        """Neither accepted nor cancelled (possibly expired: it can still be resent)."""
        return self.filter(accepted_at__isnull=True, cancelled_at__isnull=True)

    def usable(self) -> InvitationQuerySet:
        return self.pending().filter(expires_at__gt=timezone.now(), organisation__is_active=True)


class Invitation(models.Model):
    """An invitation to join an organisation with a role, accepted once through a signed link."""

    email = models.EmailField()
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    role = models.CharField(max_length=32, choices=Role.choices)
    full_name = NameField(max_length=200, blank=True, help_text="The name to suggest, if known.")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = InvitationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            # A double click, or two managers at once, make one pending invitation.
            models.UniqueConstraint(
                fields=["email", "organisation", "role"],
                condition=models.Q(accepted_at__isnull=True, cancelled_at__isnull=True),
                name="unique_pending_invitation",
            ),
        ]

    def __str__(self) -> str:
        return f"Invitation for {self.email} to {self.organisation} as {self.get_role_display()}"

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.cancelled_at is None

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    def clean(self) -> None:
        if self.email:
            self.email = self.email.strip().lower()
        if not (self.organisation_id and self.role):
            return
        if self.role not in ROLES_BY_ORGANISATION_KIND.get(self.organisation.kind, set()):
            raise ValidationError(
                {"role": f"A {self.get_role_display().lower()} cannot belong to a "
                 f"{self.organisation.get_kind_display().lower()}."}
            )


class AccessRequest(models.Model):
    """Someone without an account asking to join an organisation, sent on once their email is confirmed.

    The organisation may not have an Organisation row yet: the request names the school, local
    authority, trust or diocese, and approving it creates the organisation.
    """

    CONFIRM_WITHIN = timedelta(days=2)

    full_name = NameField(max_length=200)
    email = models.EmailField()
    organisation_kind = models.CharField(max_length=32, choices=OrganisationKind.choices)
    school = models.ForeignKey(
        "schools.School", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    local_authority = models.ForeignKey(
        "schools.LocalAuthority", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    trust = models.ForeignKey(
        "schools.Trust", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    diocese = models.ForeignKey(
        "schools.Diocese", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    role = models.CharField("role wanted", max_length=32, choices=Role.choices)
    reason = NotesField(max_length=2000, help_text="Why the person needs access.")
    state = models.CharField(
        max_length=32, choices=AccessRequestState.choices, default=AccessRequestState.UNCONFIRMED
    )
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    routed_to = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="access_requests_routed",
        help_text="Who was asked to decide (the organisation's managers, else its local authority's "
        "officers, else the national administrators).",
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="access_requests"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_role = models.CharField(max_length=32, choices=Role.choices, blank=True)
    decline_reason = NotesField(max_length=2000, blank=True)
    invitation = models.ForeignKey(
        Invitation, null=True, blank=True, on_delete=models.SET_NULL, related_name="access_requests"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state", "-created_at"])]

    def __str__(self) -> str:
        return f"Access request from {self.full_name} for {self.target_name}"

    @property
    def target(self):
        """The school, local authority, trust or diocese asked for."""
        return {
            OrganisationKind.SCHOOL: self.school,
            OrganisationKind.LOCAL_AUTHORITY: self.local_authority,
            OrganisationKind.ACADEMY_TRUST: self.trust,
            OrganisationKind.DIOCESE: self.diocese,
        }.get(self.organisation_kind)

    def find_organisation(self) -> Organisation | None:
        """The organisation row for the school, authority, trust or diocese asked for, if it has one."""
        if self.organisation_id:
            return self.organisation
        link = {
            OrganisationKind.SCHOOL: "school",
            OrganisationKind.LOCAL_AUTHORITY: "local_authority",
            OrganisationKind.ACADEMY_TRUST: "trust",
            OrganisationKind.DIOCESE: "diocese",
        }.get(self.organisation_kind)
        if link is None or self.target is None:
            return None
        return (
            Organisation.objects.filter(kind=self.organisation_kind, is_active=True, **{link: self.target})
            .select_related("school", "local_authority")
            .first()
        )

    @property
    def target_name(self) -> str:
        return self.organisation.name if self.organisation_id else str(self.target or "")

    def clean(self) -> None:
        if self.email:
            self.email = self.email.strip().lower()
        link = {
            OrganisationKind.SCHOOL: "school_id",
            OrganisationKind.LOCAL_AUTHORITY: "local_authority_id",
            OrganisationKind.ACADEMY_TRUST: "trust_id",
            OrganisationKind.DIOCESE: "diocese_id",
        }.get(self.organisation_kind)
        if link is None:
            raise ValidationError(
                {"organisation_kind": "Choose a school, local authority, trust or diocese."}
            )
        if not getattr(self, link):
            raise ValidationError({"organisation_kind": "Choose the organisation you work for."})
        if self.role and (
            self.role == Role.NATIONAL_ADMINISTRATOR
            or self.role not in ROLES_BY_ORGANISATION_KIND.get(self.organisation_kind, set())
        ):
            raise ValidationError({"role": "Choose a role that people in this kind of organisation have."})
