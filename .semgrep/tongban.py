# Fixture of .semgrep/tongban.yml (`make semgrep-test`): each line under a rule-id annotation must
# be matched by that rule, each line under an ok annotation by none. Not imported; bad on purpose.
import logging

from django.db import connection, transaction
from django.db.models.expressions import RawSQL
from django.shortcuts import get_object_or_404
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.csrf import csrf_exempt

from core.identifiers import mask_mobile
from rest_framework.permissions import AllowAny, IsAuthenticated

logger = logging.getLogger(__name__)


def raw_sql(name, table, Matter):
    with connection.cursor() as cursor:
        # ruleid: tongban-raw-sql-format
        cursor.execute(f"SELECT * FROM matters WHERE name = '{name}'")
        # ruleid: tongban-raw-sql-format
        cursor.execute("SELECT * FROM matters WHERE name = '%s'" % name)
        # ruleid: tongban-raw-sql-format
        cursor.execute("SELECT * FROM {} WHERE 1".format(table))
        # ruleid: tongban-raw-sql-format
        cursor.execute("SELECT * FROM matters WHERE name = " + name)
        sql = f"DELETE FROM {table}"
        # ruleid: tongban-raw-sql-format
        cursor.execute(sql)
        # ruleid: tongban-raw-sql-format
        cursor.execute(
            f"INSERT INTO {table} (day, last) VALUES (%s, 1) "
            f"ON CONFLICT (day) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [name],
        )
        query = "SELECT * FROM {}".format(table)
        # ruleid: tongban-raw-sql-format
        cursor.executemany(query, [])
        # ok: tongban-raw-sql-format
        cursor.execute("SELECT * FROM matters WHERE name = %s", [name])
        # ok: tongban-raw-sql-format
        cursor.execute("SELECT * FROM matters " "WHERE name = %s", [f"{name}%"])
    # ruleid: tongban-raw-sql-format
    Matter.objects.raw(f"SELECT * FROM matters WHERE name = '{name}'")
    # ruleid: tongban-raw-sql-format
    Matter.objects.annotate(x=RawSQL("SELECT %s" % name, []))
    # ruleid: tongban-raw-sql-format
    Matter.objects.extra(where=["name = '" + name + "'"])


def case_detail(request, pk, Application):
    # ruleid: tongban-view-get-by-pk
    case = Application.objects.get(pk=pk)
    # ruleid: tongban-view-get-by-pk
    other = get_object_or_404(Application, pk=pk)
    # ok: tongban-view-get-by-pk
    mine = Application.objects.filter(applicant=request.user).get(pk=pk)
    return case, other, mine


class CaseApi:
    def get(self, request: object, pk: int, Application) -> object:
        # ruleid: tongban-view-get-by-pk
        return Application.objects.get(id=pk)


def service(pk, Application):
    # ok: tongban-view-get-by-pk
    return Application.objects.get(pk=pk)


def html(user_text):
    # ruleid: tongban-mark-safe
    a = mark_safe(user_text)
    # ruleid: tongban-mark-safe
    b = SafeString("<b>" + user_text + "</b>")
    # ok: tongban-mark-safe
    c = mark_safe("<br>")
    return a, b, c


# ruleid: tongban-csrf-exempt
@csrf_exempt
def webhook(request):
    return None


# ruleid: tongban-csrf-exempt
webhook_view = csrf_exempt(webhook)


class PublicApi:
    # ruleid: tongban-allow-any
    permission_classes = (AllowAny,)


class PrivateApi:
    # ok: tongban-allow-any
    permission_classes = (IsAuthenticated,)


REST_FRAMEWORK = {
    # ruleid: tongban-allow-any
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
}


def send(task, certificate):
    # ruleid: tongban-task-outside-outbox
    task.delay(certificate_id=certificate.pk)
    # ruleid: tongban-task-outside-outbox
    task.apply_async(kwargs={"certificate_id": certificate.pk})
    # ok: tongban-task-outside-outbox
    transaction.on_commit(lambda: task.delay(certificate_id=certificate.pk))


def log(user, mobile):
    # ruleid: tongban-pii-in-log
    logger.info("signed in %s", user.id_number)
    # ruleid: tongban-pii-in-log
    logger.warning("SMS to %s failed", mobile)
    # ruleid: tongban-pii-in-log
    print(f"user {user.mobile}")
    # ruleid: tongban-pii-in-log
    logging.error("bad %s", user.profile.phone)
    # ruleid: tongban-pii-in-log
    logger.info(f"code sent to {mobile}")
    # ok: tongban-pii-in-log
    logger.info("signed in user %s", user.pk)
    # ok: tongban-pii-in-log
    logger.info("mobile changed for user %s", user.pk)
    # ok: tongban-pii-in-log
    logger.info("SMS to %s", mask_mobile(user.mobile))
    # ruleid: tongban-pii-in-log
    logger.info("SMS to %s (%s)", mask_mobile(user.mobile), user.id_number)
