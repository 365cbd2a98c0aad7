from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", views.SignOutView.as_view(), name="logout"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(
            template_name="accounts/password_change.html",
            success_url=reverse_lazy("accounts:password_change_done"),
        ),
        name="password_change",
    ),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_changed.html"),
        name="password_change_done",
    ),
    path("districts/", views.pick_district, name="pick_district"),
    path("security/", views.security, name="security"),
    path("security/digest/", views.digest, name="digest"),
    path("security/sign-out/", views.sign_out_everywhere, name="sign_out_everywhere"),
    path("invitation/<str:token>/", views.accept_invitation, name="invitation"),
]
