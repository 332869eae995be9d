"""Staff login (issue 4, point 1): log in and out, the second factor, passwords."""

from django.urls import path

from disposition.views import auth

urlpatterns = [
    path("masuk/", auth.login_view, name="login"),
    path("keluar/", auth.logout_view, name="logout"),
    path("2fa/", auth.second_factor, name="second_factor"),
    path("2fa/atur/", auth.second_factor_setup, name="second_factor_setup"),
    path("2fa/reset/", auth.second_factor_reset_view, name="second_factor_reset"),
    path("sandi/", auth.password_change, name="password_change"),
    path("lupa-sandi/", auth.password_reset, name="password_reset"),
    path("lupa-sandi/terkirim/", auth.password_reset_done, name="password_reset_done"),
    path(
        "sandi-baru/<uidb64>/<token>/",
        auth.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("sandi-baru/selesai/", auth.password_reset_complete, name="password_reset_complete"),
]
