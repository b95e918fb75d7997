"""List active staff accounts nobody has signed in to for N days (等保 访问控制: find dormant and
orphaned accounts so their owner confirms them or an administrator disables them)."""

import datetime as dt
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils import timezone

from accounts.choices import UserKind
from accounts.models import User

DEFAULT_DAYS = 90


def stale_staff(*, days: int, now: dt.datetime) -> list[User]:
    """Active staff whose last sign-in (or, never signed in, whose account) is older than `days`."""
    cutoff = now - dt.timedelta(days=days)
    staff = Q(kind=UserKind.STAFF) | Q(is_staff=True) | Q(is_superuser=True)
    dormant = Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff)
    return list(User.objects.filter(staff, dormant, is_active=True).order_by("username"))


class Command(BaseCommand):
    help = "List active staff accounts without a sign-in for N days (default 90)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--days", type=int, default=DEFAULT_DAYS, help="days without sign-in")

    def handle(self, *args: Any, **options: Any) -> None:
        days: int = options["days"]
        if days < 1:
            raise CommandError("--days must be at least 1.")
        now = timezone.now()
        accounts = stale_staff(days=days, now=now)
        for user in accounts:
            last = (
                timezone.localtime(user.last_login).strftime("%Y-%m-%d")
                if user.last_login
                else "never"
            )
            self.stdout.write(f"{user.username}\t{user.real_name}\tlast sign-in: {last}")
        self.stdout.write(f"{len(accounts)} staff account(s) without a sign-in for {days} days.")
