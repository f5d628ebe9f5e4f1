from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "apps.complaints"
    verbose_name = _("Discrimination complaints (Ordinance 014-2017-MDCLR)")
