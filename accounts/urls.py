from django.urls import path

from . import views
from . import views_people as people
from . import views_tokens as tokens

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="sign-in"),
    path("sign-out/", views.SignOutView.as_view(), name="sign-out"),
    path("session/keep-alive/", views.keep_alive, name="keep-alive"),
    path("password-reset/", views.PasswordResetRequestView.as_view(), name="password-reset"),
    path("password-reset/sent/", views.PasswordResetSentView.as_view(), name="password-reset-done"),
    path(
        "password-reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path(
        "password-reset/complete/",
        views.PasswordResetCompleteView.as_view(),
        name="password-reset-complete",
    ),
    # Emailed links: the tokened URL moves the token into the session and redirects to the clean one.
    path("invitations/", people.invitation, name="invitation"),
    path("invitations/<str:token>/", people.invitation_link, name="invitation-link"),
    path("request-access/", people.request_access, name="request-access"),
    path("request-access/sent/", people.request_access_sent, name="request-access-sent"),
    path("request-access/confirm/", people.request_access_confirm, name="request-access-confirm"),
    path(
        "request-access/confirm/<str:token>/",
        people.request_access_confirm_link, name="request-access-confirm-link",
    ),
    path("access-requests/<int:pk>/", people.access_request_detail, name="access-request-detail"),
    path("organisation/", people.organisation_chooser, name="organisation-chooser"),
    path("organisation/school/", people.organisation_for_school, name="organisation-for-school"),
    path("organisation/<int:pk>/", people.organisation_people, name="organisation"),
    path("organisation/<int:pk>/invite/", people.organisation_invite, name="organisation-invite"),
    path(
        "organisation/<int:pk>/members/<int:membership_pk>/role/",
        people.membership_change_role, name="membership-change-role",
    ),
    path(
        "organisation/<int:pk>/members/<int:membership_pk>/remove/",
        people.membership_remove, name="membership-remove",
    ),
    path(
        "organisation/<int:pk>/invitations/<int:invitation_pk>/resend/",
        people.invitation_resend, name="invitation-resend",
    ),
    path(
        "organisation/<int:pk>/invitations/<int:invitation_pk>/cancel/",
        people.invitation_cancel, name="invitation-cancel",
    ),
    path("api-tokens/", tokens.ApiTokenListView.as_view(), name="api-token-list"),
    path("api-tokens/new/", tokens.api_token_create, name="api-token-create"),
    path("api-tokens/<int:pk>/", tokens.api_token_detail, name="api-token-detail"),
    path("api-tokens/<int:pk>/revoke/", tokens.api_token_revoke, name="api-token-revoke"),
    path("set-password/", people.set_password, name="set-password"),
    path("set-password/<str:token>/", people.set_password_link, name="set-password-link"),
    path("you/", people.your_account, name="you"),
    path("you/password/", people.change_password, name="change-password"),
]
