"""Constants shared by the workbench reads."""

from django.utils.translation import gettext_lazy

from django_stubs_ext import StrOrPromise

from applications.choices import (
    Status,
)

PAGE_SIZE = 50
RECENT_DAYS = 30  # how far back the 已办结 tab looks

# Queue tabs: key, title. The order is the order of the tabs on the page.
TABS: tuple[tuple[str, StrOrPromise], ...] = (
    ("received", gettext_lazy("待受理")),
    ("supplement", gettext_lazy("补正中")),
    ("review", gettext_lazy("待审查")),
    ("special", gettext_lazy("特别程序")),
    ("delivery", gettext_lazy("待送达")),
    ("done", gettext_lazy("已办结")),
)
TAB_KEYS = frozenset(key for key, _title in TABS)
DECIDED = (Status.APPROVED, Status.REJECTED)
# Every action the case page knows, in the order it offers them.
ACTIONS = (
    "claim", "accept", "supplement", "not_accept", "pass", "send_back", "approve", "reject",
    "suspend", "resume", "extend", "deliver", "assign", "void",
)  # fmt: skip
