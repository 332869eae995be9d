"""The citizen website (Bahasa Indonesia paths)."""

from django.urls import path

from complaints.views import accounts, public, report_form, tracking

app_name = "complaints"

urlpatterns = [
    path("", public.home, name="home"),
    path("privasi/", public.privacy, name="privacy"),
    # Filing a report
    path("lapor/", report_form.report_create, name="report_create"),
    path("lapor/desa/", report_form.desa_options, name="desa_options"),
    path("lapor/serupa/", report_form.similar_reports, name="similar_reports"),
    path("lapor/terkirim/", report_form.report_submitted, name="report_submitted"),
    # Following one's report
    path("lacak/", tracking.track, name="track"),
    path("lacak/kirim-ulang-kode/", tracking.resend_code, name="resend_code"),
    path("lacak/<str:tracking_number>/", tracking.track_detail, name="track_detail"),
    path(
        "lacak/<str:tracking_number>/tambah-informasi/",
        tracking.provide_info,
        name="track_provide_info",
    ),
    path("lacak/<str:tracking_number>/sanggah/", tracking.object_to_answer, name="track_object"),
    path("lacak/<str:tracking_number>/nilai/", tracking.rate, name="track_rate"),
    # What the regency does, in public
    path("laporan/", public.report_list, name="public_list"),
    path("laporan/<str:tracking_number>/", public.report_detail, name="public_detail"),
    path("statistik/", public.statistics, name="statistics"),
    # Citizen accounts
    path("akun/daftar/", accounts.register, name="register"),
    path("akun/verifikasi/<str:token>/", accounts.verify_email, name="verify_email"),
    path("akun/masuk/", accounts.login_view, name="login"),
    path("akun/keluar/", accounts.logout_view, name="logout"),
    path("akun/lupa-sandi/", accounts.password_reset, name="password_reset"),
    path("akun/lupa-sandi/terkirim/", accounts.password_reset_done, name="password_reset_done"),
    path(
        "akun/sandi-baru/<uidb64>/<token>/",
        accounts.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path(
        "akun/sandi-baru/selesai/", accounts.password_reset_complete, name="password_reset_complete"
    ),
    path("akun/laporan-saya/", accounts.my_reports, name="my_reports"),
]
