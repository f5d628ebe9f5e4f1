from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InclusionConfig(AppConfig):
    name = "apps.inclusion"
    verbose_name = _("Economic inclusion and safe spaces")
