"""Who may see or act on which certificate: one access function per purpose (STYLE R6).

Holders reach only their own certificates; anyone else gets "not found". Staff act on the
certificates their department issued, with the role's permission."""

from django.core.exceptions import PermissionDenied

from accounts.models import User
from certificates.models import Certificate, CertificateType
from matters.permissions import departments_of_staff, is_staff_member


def access_certificate_for_holder(*, user: User, certificate_id: int) -> Certificate:
    """The certificate if `user` holds it.

    :raises Certificate.DoesNotExist: for anyone else (a guessed id reveals nothing).
    """
    return Certificate.objects.select_related("type").get(pk=certificate_id, holder_user=user)


def _staff_certificate(user: User, certificate_id: int, *, lock: bool) -> Certificate:
    if not is_staff_member(user):
        raise Certificate.DoesNotExist
    rows = Certificate.objects.select_related("type")
    if lock:
        rows = rows.select_for_update(of=("self",))
    return rows.get(pk=certificate_id, issuer__in=departments_of_staff(user))


def access_certificate_for_staff_view(*, user: User, certificate_id: int) -> Certificate:
    """A certificate the user's department issued.

    :raises Certificate.DoesNotExist: for other departments' certificates.
    """
    return _staff_certificate(user, certificate_id, lock=False)


def access_certificate_for_revocation(*, user: User, certificate_id: int) -> Certificate:
    """The row-locked certificate if `user` may revoke it (issuing department, revoke permission).

    :raises Certificate.DoesNotExist: for other departments' certificates.
    :raises PermissionDenied: without the permission.
    """
    certificate = _staff_certificate(user, certificate_id, lock=True)
    if not user.has_perm("certificates.revoke_certificate"):
        raise PermissionDenied
    return certificate


def access_certificate_for_retry(*, user: User, certificate_id: int) -> Certificate:
    """The row-locked certificate if `user` may send a failed one back to the workers.

    :raises Certificate.DoesNotExist: for other departments' certificates.
    :raises PermissionDenied: without the permission.
    """
    certificate = _staff_certificate(user, certificate_id, lock=True)
    if not user.has_perm("certificates.retry_certificate"):
        raise PermissionDenied
    return certificate


def access_certificate_type_for_preview(*, user: User, type_id: int) -> CertificateType:
    """A certificate type whose template the user may preview (catalogue staff).

    :raises PermissionDenied: without the permission.
    """
    if not user.has_perm("certificates.preview_certificatetype"):
        raise PermissionDenied
    return CertificateType.objects.get(pk=type_id)
