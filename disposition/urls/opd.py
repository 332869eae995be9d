"""The OPD workspace: the inbox of an OPD's dispositions, the actions on a disposition, and the
OPD's answer templates."""

from django.urls import path

from disposition.views import opd

urlpatterns = [
    path("opd/", opd.opd_inbox, name="opd_inbox"),
    path("disposisi/<int:pk>/terima/", opd.opd_accept, name="opd_accept"),
    path("disposisi/<int:pk>/kembalikan/", opd.opd_return, name="opd_return"),
    path("disposisi/<int:pk>/tugaskan/", opd.opd_assign, name="opd_assign"),
    path("disposisi/<int:pk>/minta-informasi/", opd.opd_request_info, name="opd_request_info"),
    path("disposisi/<int:pk>/tanggapan/", opd.opd_respond, name="opd_respond"),
    path("disposisi/<int:pk>/catatan/", opd.opd_note, name="opd_note"),
    path("templat-jawaban/", opd.answer_templates, name="answer_templates"),
    path("templat-jawaban/baru/", opd.answer_template_create, name="answer_template_create"),
    path("templat-jawaban/<int:pk>/", opd.answer_template_edit, name="answer_template_edit"),
    path(
        "templat-jawaban/<int:pk>/status/",
        opd.answer_template_active,
        name="answer_template_active",
    ),
]
