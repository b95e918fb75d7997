"""Checks an administrator's certificate type before it is saved: the surface fields are a list of
{key, label}, and the template renders with sample data (a broken template is refused with the
error, never discovered by a worker)."""

import re
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from certificates import rendering

if TYPE_CHECKING:
    from certificates.models import CertificateType

KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


def certificate_type_check(certificate_type: "CertificateType") -> None:
    """Raise ValidationError naming the field at fault."""
    errors: dict[str, list[str]] = {}
    fields = certificate_type.fields
    if not isinstance(fields, list):
        errors["fields"] = [_("照面信息项应为列表。")]
    else:
        seen: set[str] = set()
        for position, item in enumerate(fields, start=1):
            key = item.get("key") if isinstance(item, dict) else None
            label = item.get("label") if isinstance(item, dict) else None
            if not isinstance(key, str) or not KEY_RE.fullmatch(key):
                errors.setdefault("fields", []).append(
                    _("第%(n)d项的 key 应为小写字母开头的英文、数字或下划线。") % {"n": position}
                )
            elif key in seen:
                errors.setdefault("fields", []).append(
                    _("第%(n)d项的 key“%(key)s”重复了。") % {"n": position, "key": key}
                )
            else:
                seen.add(key)
            if not isinstance(label, str) or not label.strip():
                errors.setdefault("fields", []).append(
                    _("第%(n)d项缺少名称（label）。") % {"n": position}
                )
    if not errors and certificate_type.template_html:
        sample = rendering.sample_context(
            template_html=certificate_type.template_html,
            template_css=certificate_type.template_css,
        )
        try:
            rendering.render_html(sample)
        except rendering.CertificateTemplateError as error:
            errors["template_html"] = [error.message]
    if errors:
        raise ValidationError(errors)
