"""Rendering the texts of a notification template with Django's template language.

Templates are plain text (e-mail bodies, SMS), so autoescaping is off; the inbox page escapes the
stored body when it shows it. The engine has no loaders and no tag libraries beyond the built-ins,
so an edited template can read its context and nothing else.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from django.template import Context, Engine, TemplateDoesNotExist, TemplateSyntaxError
from django.utils.translation import gettext as _

from notifications.choices import Channel, Language

# Invalid variables render as this marker when a template is checked, so unknown names are found.
_UNKNOWN = "\x00unknown:%s\x00"
_UNKNOWN_RE = re.compile("\x00unknown:(.*?)\x00")
_BLANK_LINES_RE = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)+")
SUBJECT_MAX_LENGTH = 200
# What a template may get wrong at render time (a filter given the wrong type, a loop over a number).
RENDER_ERRORS = (TemplateSyntaxError, TemplateDoesNotExist, TypeError, ValueError)


@dataclass(frozen=True)
class TemplateText:
    """The texts and channels of one event: a saved `NotificationTemplate` or a built-in default."""

    send_inbox: bool
    send_email: bool
    send_sms: bool
    subject_zh: str
    body_zh: str
    sms_zh: str
    subject_en: str
    body_en: str
    sms_en: str

    @property
    def channels(self) -> list[Channel]:
        wanted = (
            (Channel.INBOX, self.send_inbox),
            (Channel.EMAIL, self.send_email),
            (Channel.SMS, self.send_sms),
        )
        return [channel for channel, enabled in wanted if enabled]

    def sources(self, language: str) -> tuple[str, str, str]:
        """The (subject, body, SMS) sources in `language`."""
        if language == Language.EN:
            return self.subject_en, self.body_en, self.sms_en
        return self.subject_zh, self.body_zh, self.sms_zh


@dataclass(frozen=True)
class RenderedMessage:
    subject: str
    body: str
    sms: str


@cache
def _engine(*, strict: bool) -> Engine:
    return Engine(
        dirs=[],
        app_dirs=False,
        libraries={},
        autoescape=False,
        string_if_invalid=_UNKNOWN if strict else "",
    )


def render_text(source: str, context: Mapping[str, object]) -> str:
    """Render one template text; unknown variables render as nothing.

    :raises TemplateSyntaxError: if the text is not a valid template (and the other RENDER_ERRORS
        if rendering it fails).
    """
    return _engine(strict=False).from_string(source).render(Context(dict(context)))


def render_message(
    text: TemplateText, *, language: str, context: Mapping[str, object]
) -> RenderedMessage:
    """Render the subject, body and SMS text of `text` in `language`.

    :raises TemplateSyntaxError: and the other RENDER_ERRORS, if a text fails to render.
    """
    subject, body, sms = (render_text(source, context) for source in text.sources(language))
    return RenderedMessage(
        # A subject is one header line: line breaks in it would make the e-mail invalid.
        subject=" ".join(subject.split())[:SUBJECT_MAX_LENGTH],
        body=_BLANK_LINES_RE.sub("\n\n", body).strip(),
        sms=" ".join(sms.split()),
    )


def template_error(source: str, context: Mapping[str, object]) -> str | None:
    """Return why `source` cannot be used with `context` (the template error, or the unknown
    variables it names) as a sentence for the editor, or None if it renders."""
    try:
        output = _engine(strict=True).from_string(source).render(Context(dict(context)))
    except RENDER_ERRORS as exc:
        return _("模板无法渲染：%(error)s") % {"error": exc}
    unknown = sorted(set(_UNKNOWN_RE.findall(output)))
    if unknown:
        return _("模板使用了未知的变量：%(names)s。") % {"names": "、".join(unknown)}
    return None
