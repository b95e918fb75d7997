"""The access matrix of SEC-AC-01: every named route of the site (the admin aside, which the
admin's own permission system guards and tests/accounts/test_two_factor covers) classified by who
may reach it, with the URL kwargs that aim it at citizen A's objects.

A kwarg value naming a key of the security world (tests/security/world.py) is replaced by that
object's `pk` (or, for `token`, by the string itself); anything else is used as it is.

Kinds:
  public          anyone; shows no one's personal data (A's canaries must not appear)
  auth-flow       sign-in, sign-up, password reset and the second factor: anyone
  public-token    the token is the credential (share link, SMS rating link); aimed at a
                  forged token: 404 for everyone, A's data never shown
  citizen-list    a signed-in citizen's own list or centre page: B's shows none of A's objects
  citizen-create  a signed-in citizen starts something of their own (no object of A's)
  citizen-object  one of A's objects: only A (or A's agent) reaches it
  staff-object    a case (or a row of one) of A's, worked by the market department: only its
                  staff reach it, never a citizen or a clerk of another department
  staff-list      a workbench list, dashboard or export: a clerk of another department sees
                  none of A's cases there, a citizen does not get in
"""

from dataclasses import dataclass, field

PUBLIC = "public"
AUTH_FLOW = "auth-flow"
PUBLIC_TOKEN = "public-token"
CITIZEN_LIST = "citizen-list"
CITIZEN_CREATE = "citizen-create"
CITIZEN_OBJECT = "citizen-object"
STAFF_OBJECT = "staff-object"
STAFF_LIST = "staff-list"

# Object-scoped kinds: aimed at A's objects by the IDOR matrix.
OBJECT_KINDS = (CITIZEN_OBJECT, STAFF_OBJECT, PUBLIC_TOKEN)
# List kinds: read by B or the other department's clerk, searched for A's canaries.
LIST_KINDS = (CITIZEN_LIST, STAFF_LIST)

FORGED = "forged-token-0000000000000000000000"

STAFF_CASE_ACTIONS = (
    "claim", "accept", "supplement", "not_accept", "pass", "send_back", "approve", "reject",
    "suspend", "resume", "extend", "deliver", "assign", "void",
)  # fmt: skip
API_CASE_ACTIONS = (
    "claim", "assign", "accept", "not-accept", "request-supplement", "pass", "send-back",
    "suspend", "resume", "extend", "approve", "reject", "deliver", "void",
)  # fmt: skip
FOLLOWUP_ACTIONS = ("contact", "resolve", "appeal", "decide")


@dataclass(frozen=True)
class Entry:
    kind: str
    targets: tuple[dict[str, str], ...] = field(default_factory=lambda: ({},))
    note: str = ""


def _each(**kwargs: tuple[str, ...] | str) -> tuple[dict[str, str], ...]:
    """The targets for every combination of one varying kwarg and fixed others."""
    varying = [(k, v) for k, v in kwargs.items() if isinstance(v, tuple)]
    fixed = {k: v for k, v in kwargs.items() if isinstance(v, str)}
    if not varying:
        return (fixed,)
    ((name, values),) = varying
    return tuple({**fixed, name: value} for value in values)


MATRIX: dict[str, Entry] = {
    # --- The public site ----------------------------------------------------------------------
    "home": Entry(PUBLIC),
    "search": Entry(PUBLIC),
    "health": Entry(PUBLIC),
    "language": Entry(PUBLIC, ({"code": "en"},)),
    "set_language": Entry(PUBLIC),
    "matter-list": Entry(PUBLIC),
    "department-list": Entry(PUBLIC),
    "bundle-list": Entry(PUBLIC),
    "bundle-guide": Entry(PUBLIC, ({"code": "restaurant"},)),
    "matter-guide": Entry(PUBLIC, ({"code": "food_code"},)),
    "matter-notice": Entry(PUBLIC, ({"code": "food_code"},)),
    "matter-notice-pdf": Entry(PUBLIC, ({"code": "food_code"},)),
    "ratings-public": Entry(PUBLIC, note="public figures: counts, never a rater or a case"),
    "track": Entry(PUBLIC, note="by query number and the applicant's name: tested separately"),
    "certificates:verify": Entry(PUBLIC),
    "certificates:verify-file": Entry(PUBLIC),
    "api-matter-list": Entry(PUBLIC),
    "api-matter-detail": Entry(PUBLIC, ({"implementation_code": "food_code"},)),
    "api-topic-list": Entry(PUBLIC),
    "api-life-event-list": Entry(PUBLIC),
    "api-department-list": Entry(PUBLIC),
    "api-region-list": Entry(PUBLIC),
    "api-schema": Entry(PUBLIC),
    "api-docs": Entry(PUBLIC),
    # --- Signing in and the account's own credentials -----------------------------------------
    "sign-up": Entry(AUTH_FLOW),
    "sign-in": Entry(AUTH_FLOW),
    "sign-in-code": Entry(AUTH_FLOW),
    "sign-out": Entry(AUTH_FLOW),
    "password-reset": Entry(AUTH_FLOW),
    "password-change": Entry(CITIZEN_LIST, note="the signed-in user's own password"),
    "mobile-change": Entry(CITIZEN_LIST, note="the signed-in user's own mobile"),
    "two-factor": Entry(AUTH_FLOW),
    "two-factor-setup": Entry(AUTH_FLOW),
    "two-factor-verify": Entry(AUTH_FLOW),
    # --- Tokens that are credentials ----------------------------------------------------------
    "certificates:shared": Entry(PUBLIC_TOKEN, ({"token": FORGED},)),
    "certificates:shared-download": Entry(PUBLIC_TOKEN, ({"token": FORGED},)),
    "rate-by-link": Entry(PUBLIC_TOKEN, ({"token": FORGED},)),
    # --- A citizen's own pages ----------------------------------------------------------------
    "centre": Entry(CITIZEN_LIST),
    "profile": Entry(CITIZEN_LIST),
    "companies": Entry(CITIZEN_LIST),
    "proxies": Entry(CITIZEN_LIST),
    "my-applications": Entry(CITIZEN_LIST),
    "notifications:inbox": Entry(CITIZEN_LIST),
    "notifications:inbox-read-all": Entry(CITIZEN_LIST, note="marks the user's own messages"),
    "certificates:wallet": Entry(CITIZEN_LIST),
    "api-application-list": Entry(CITIZEN_LIST),
    "company-register": Entry(CITIZEN_CREATE),
    "proxy-add": Entry(CITIZEN_CREATE),
    "apply-start": Entry(CITIZEN_CREATE, ({"code": "food_code"},)),
    "bundle-apply": Entry(CITIZEN_CREATE, ({"code": "restaurant"},)),
    # --- A's objects --------------------------------------------------------------------------
    "company-agent-add": Entry(CITIZEN_OBJECT, ({"pk": "company"},)),
    "mandate-revoke": Entry(CITIZEN_OBJECT, ({"pk": "mandate"},)),
    "application-evaluate": Entry(CITIZEN_OBJECT, ({"pk": "completed"},)),
    "followup-rate-outcome": Entry(CITIZEN_OBJECT, ({"pk": "completed"},)),
    "notifications:inbox-detail": Entry(CITIZEN_OBJECT, ({"pk": "notification"},)),
    "bundle-application-detail": Entry(CITIZEN_OBJECT, ({"pk": "bundle_application"},)),
    "bundle-application-edit": Entry(CITIZEN_OBJECT, ({"pk": "bundle_application"},)),
    "bundle-application-material": Entry(CITIZEN_OBJECT, ({"pk": "bundle_application"},)),
    "application-detail": Entry(CITIZEN_OBJECT, _each(pk=("draft", "received", "completed"))),
    "application-step": Entry(
        CITIZEN_OBJECT, _each(pk="draft", step=("situation", "form", "materials", "delivery"))
    ),
    "application-check": Entry(CITIZEN_OBJECT, ({"pk": "draft"},)),
    "application-confirmation": Entry(CITIZEN_OBJECT, ({"pk": "received"},)),
    "application-material": Entry(CITIZEN_OBJECT, ({"pk": "draft"},)),
    "application-material-download": Entry(
        CITIZEN_OBJECT, ({"pk": "received", "material_id": "material"},)
    ),
    "application-resubmit": Entry(CITIZEN_OBJECT, ({"pk": "received"},)),
    "application-withdraw": Entry(CITIZEN_OBJECT, ({"pk": "received"},)),
    "draft-discard": Entry(CITIZEN_OBJECT, ({"pk": "draft"},)),
    "application-certificate": Entry(CITIZEN_OBJECT, ({"pk": "completed"},)),
    "certificates:wallet-detail": Entry(CITIZEN_OBJECT, ({"pk": "certificate"},)),
    "certificates:wallet-download": Entry(CITIZEN_OBJECT, ({"pk": "certificate"},)),
    "certificates:share-create": Entry(CITIZEN_OBJECT, ({"pk": "certificate"},)),
    "certificates:share-revoke": Entry(CITIZEN_OBJECT, ({"pk": "share"},)),
    "api-application-detail": Entry(CITIZEN_OBJECT, _each(pk=("draft", "received"))),
    "api-application-materials": Entry(CITIZEN_OBJECT, ({"pk": "draft"},)),
    "api-application-submit": Entry(CITIZEN_OBJECT, ({"pk": "draft"},)),
    "api-application-withdraw": Entry(CITIZEN_OBJECT, ({"pk": "received"},)),
    "api-application-supplement": Entry(CITIZEN_OBJECT, ({"pk": "received"},)),
    # --- The market department's work on A's cases -------------------------------------------
    "workbench-case": Entry(STAFF_OBJECT, _each(pk=("received", "completed"))),
    "workbench-case-reveal": Entry(STAFF_OBJECT, ({"pk": "received"},)),
    "workbench-receipt": Entry(STAFF_OBJECT, ({"pk": "received"},)),
    "workbench-material": Entry(STAFF_OBJECT, ({"pk": "received", "material_id": "material"},)),
    "workbench-case-action": Entry(STAFF_OBJECT, _each(pk="in_review", action=STAFF_CASE_ACTIONS)),
    "window-rating": Entry(STAFF_OBJECT, ({"pk": "completed"},)),
    "followup-detail": Entry(STAFF_OBJECT, ({"pk": "followup"},)),
    "followup-contact-number": Entry(STAFF_OBJECT, ({"pk": "followup"},)),
    "followup-action": Entry(STAFF_OBJECT, _each(pk="followup", action=FOLLOWUP_ACTIONS)),
    "certificates:staff-detail": Entry(STAFF_OBJECT, ({"pk": "certificate"},)),
    "certificates:staff-revoke": Entry(STAFF_OBJECT, ({"pk": "certificate"},)),
    "certificates:staff-retry": Entry(STAFF_OBJECT, ({"pk": "certificate"},)),
    "certificates:type-preview": Entry(
        STAFF_OBJECT, ({"pk": "food_type"},), note="the market department's certificate layout"
    ),
    "supervision-alert-respond": Entry(STAFF_OBJECT, ({"pk": "alert"},)),
    **{
        f"api-case-{action}": Entry(STAFF_OBJECT, ({"pk": "received"},))
        for action in API_CASE_ACTIONS
    },
    # --- Workbench lists, dashboards and exports ----------------------------------------------
    "workbench-queue": Entry(STAFF_LIST),
    "workbench-file": Entry(STAFF_LIST),
    "workbench-file-matter": Entry(STAFF_LIST, ({"matter_id": "food"},)),
    "followup-list": Entry(STAFF_LIST),
    "followup-appeals": Entry(STAFF_LIST),
    "supervision-dashboard": Entry(STAFF_LIST),
    "supervision-dashboard-csv": Entry(STAFF_LIST),
    "supervision-alerts": Entry(STAFF_LIST),
    "certificates:staff-list": Entry(STAFF_LIST),
}
