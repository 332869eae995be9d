from django.apps import AppConfig


class LaporSyncConfig(AppConfig):
    name = "lapor_sync"
    verbose_name = "SP4N-LAPOR!"
