from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DispositionConfig(AppConfig):
    name = "disposition"
    verbose_name = _("Disposisi dan OPD")
