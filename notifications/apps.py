from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "notifications"
    verbose_name = _("消息通知")

    def ready(self) -> None:
        from notifications import receivers  # noqa: F401 -- connects the security notices
