from django.urls import path

from accounts import views

app_name = "people"

urlpatterns = [
    path("", views.people, name="index"),
    path("<int:membership_pk>/", views.member, name="member"),
    path("<int:membership_pk>/access/", views.member_access, name="access"),
    path("<int:membership_pk>/sign-out/", views.member_sign_out, name="member_sign_out"),
    path("log/", views.access_log, name="log"),
    path("log/export.csv", views.access_log_export, name="log_export"),
    path("second-factor/", views.second_factor, name="second_factor"),
    path("sign-in/", views.sign_in_settings, name="sign_in"),
    path("invite/", views.invite, name="invite"),
    path("invite/csv/", views.invite_csv, name="invite_csv"),
    path(
        "invitations/<int:invitation_pk>/resend/",
        views.resend_invitation,
        name="invitation_resend",
    ),
    path(
        "invitations/<int:invitation_pk>/revoke/",
        views.revoke_invitation,
        name="invitation_revoke",
    ),
]
