"""Onboarding: OPDs and their staff accounts, nominations, the invitation link (issue 4
point 5)."""

from django.urls import path

from disposition.views import onboarding

urlpatterns = [
    path("onboarding/", onboarding.onboarding, name="onboarding"),
    path("onboarding/opd/<int:pk>/", onboarding.opd_detail, name="onboarding_opd"),
    path(
        "onboarding/opd/<int:pk>/pejabat-penghubung/",
        onboarding.appoint_pejabat_penghubung,
        name="onboarding_appoint_pp",
    ),
    path(
        "onboarding/opd/<int:pk>/admin-opd-baru/",
        onboarding.admin_create,
        name="onboarding_admin_create",
    ),
    path(
        "onboarding/usulan/<int:pk>/setujui/",
        onboarding.nomination_approve,
        name="nomination_approve",
    ),
    path(
        "onboarding/usulan/<int:pk>/tolak/", onboarding.nomination_reject, name="nomination_reject"
    ),
    path(
        "onboarding/akun/<int:user_id>/nonaktifkan/",
        onboarding.account_deactivate,
        name="account_deactivate",
    ),
    path("onboarding/akun/<int:user_id>/undang/", onboarding.account_invite, name="account_invite"),
    path("usulan/", onboarding.nominations, name="nominations"),
    path("undangan/<uidb64>/<token>/", onboarding.invitation, name="invitation"),
    path("undangan/selesai/", onboarding.invitation_done, name="invitation_done"),
]
